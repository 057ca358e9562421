#!/usr/bin/env python3
"""exigen: generates the ccsplc EXI codecs (structs + grammar tables) from the official XSDs.

usage: exigen.py [--schemas DIR] [--out DIR] [--check]
  --schemas DIR  the schema folder (default: ../shared/schemas beside the checkout)
  --out DIR      the source tree to write into (default: the checkout); writes include/ccsplc/core/gen/*.h and
                 src/exi/gen/*.c
  --check        write nothing; exit 1 if any generated file differs from what is committed

Capacities (array lengths, string and binary sizes) are options in CAPS below, documented in docs/exi.md.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cgen import Codec  # noqa: E402
from xsd import Schema  # noqa: E402

PROTOS = [
    {"name": "app", "prefix": "app", "title": "SupportedAppProtocol", "root": "V2G_CI_AppProtocol.xsd",
     "roots": "*"},
    {"name": "din", "prefix": "din", "title": "DIN 70121", "root": "din_spec/V2G_CI_MsgDef.xsd",
     "roots": ["V2G_Message"]},
    {"name": "iso2", "prefix": "iso2", "title": "ISO 15118-2", "root": "iso15118_2/V2G_CI_MsgDef.xsd",
     "roots": ["V2G_Message"], "fragments": True},
    {"name": "iso20-common", "prefix": "iso20", "title": "ISO 15118-20 CommonMessages",
     "root": "iso15118_20/V2G_CI_CommonMessages.xsd", "roots": "messages", "fragments": True},
    {"name": "iso20-dc", "prefix": "iso20_dc", "title": "ISO 15118-20 DC", "root": "iso15118_20/V2G_CI_DC.xsd",
     "roots": "messages", "fragments": True},
    {"name": "iso20-ac", "prefix": "iso20_ac", "title": "ISO 15118-20 AC", "root": "iso15118_20/V2G_CI_AC.xsd",
     "roots": "messages", "fragments": True},
    {"name": "iso20-acdp", "prefix": "iso20_acdp", "title": "ISO 15118-20 ACDP",
     "root": "iso15118_20/V2G_CI_ACDP.xsd", "roots": "messages", "fragments": True},
    {"name": "iso20-wpt", "prefix": "iso20_wpt", "title": "ISO 15118-20 WPT", "root": "iso15118_20/V2G_CI_WPT.xsd",
     "roots": "messages", "fragments": True},
]

# Capacities. Arrays take the schema's maxOccurs when it is at most array_min, else array_default unless named
# here (by element name, or "TypeName.ElementName"). Strings and binaries take the schema's maxLength, else the
# size named here by simple-type name, else the default.
CAPS = {
    "array_default": 24,
    "array_min": 24,
    "arrays": {
        "Reference": 4,            # xmldsig SignedInfo: real signed messages carry up to 4
        "Transform": 1,
        "Object": 1,
        "KeyName": 1, "KeyValue": 1, "RetrievalMethod": 1, "X509Data": 1, "PGPData": 1, "SPKIData": 1,
        "MgmtData": 1, "X509IssuerSerial": 1, "X509SKI": 1, "X509SubjectName": 1, "X509Certificate": 4,
        "X509CRL": 1, "SPKISexp": 1,
        "Certificate": 4,          # certificate chains: leaf + up to 4 sub-certificates
        "RootCertificateID": 20,
        "Cost": 3, "ConsumptionCost": 3, "SAScheduleTuple": 3,
        "Service": 8, "Parameter": 16, "ParameterSet": 8, "SelectedService": 16, "PaymentOption": 2,
    },
    "string_default": 64,
    "strings": {"anyURI": 128},
    "binary_default": 128,
    "binaries": {"base64Binary": 350, "CryptoBinary": 350},
    "bigint_bytes": 20,
}


def generate(schemas, proto):
    schema = Schema(os.path.join(schemas, proto["root"]))
    if proto["roots"] == "messages":
        main_ns = schema.files[0].tns
        proto = dict(proto, roots=[q.local for q, d in schema.elements.items()
                                   if q.uri == main_ns and (q.local.endswith("Req") or q.local.endswith("Res"))])
    codec = Codec(schema, proto, CAPS)
    prefix = proto["prefix"]
    tables = codec.write_tables()
    return {
        "include/ccsplc/core/gen/%s.h" % prefix: codec.write_header(),
        "src/exi/gen/%s_tables.c" % prefix: tables,
        "src/exi/gen/%s_meta.c" % prefix: codec.write_meta(),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description="Generate the ccsplc EXI codecs from the XSDs.")
    ap.add_argument("--schemas", default=os.path.join(top, "..", "shared", "schemas"))
    ap.add_argument("--out", default=top)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--only", help="generate one protocol (by name)")
    args = ap.parse_args()
    differ = []
    for proto in PROTOS:
        if args.only and proto["name"] != args.only:
            continue
        for rel, text in generate(args.schemas, proto).items():
            path = os.path.join(args.out, rel)
            old = open(path).read() if os.path.exists(path) else None
            if old == text:
                continue
            if args.check:
                differ.append(rel)
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    if differ:
        print("exigen: generated files differ from the committed ones: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
