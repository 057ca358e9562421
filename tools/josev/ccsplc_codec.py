# An IEXICodec for Josev on ccsplc's EXI codec (EXIficient's jar is not in the fetched snapshot): Josev's JSON ->
# namespaced XML (xsdmap) -> ccsplc's encoder, and back, through exisrv (EXISRV, built by run.sh) (a persistent process on ccsplc's
# libraries: a subprocess per message missed the 250 ms CurrentDemand timeout on the loaded machine).
# tools/josev/run.sh only.
import json, os, subprocess, threading
from iso15118.shared.iexi_codec import IEXICodec
import xsdmap

PROTO = {
    "urn:iso:15118:2:2010:AppProtocol": "app",
    "urn:din:70121:2012:MsgDef": "din",
    "urn:iso:15118:2:2013:MsgDef": "iso2",
    "urn:iso:std:iso:15118:-20:CommonMessages": "iso20-common",
    "urn:iso:std:iso:15118:-20:DC": "iso20-dc",
    "urn:iso:std:iso:15118:-20:AC": "iso20-ac",
    "urn:iso:std:iso:15118:-20:ACDP": "iso20-acdp",
    "urn:iso:std:iso:15118:-20:WPT": "iso20-wpt",
}
FRAGMENTS = {"SalesTariff", "ContractSignatureCertChain", "CPSCertificateChain", "OEMProvisioningCertificateChain",
             "SignedInfo"}
EXISRV = os.environ["EXISRV"]
SCHEMAS = os.path.join(os.path.dirname(__import__("iso15118").__file__), "shared", "schemas")


class CcsplcEXICodec(IEXICodec):
    def __init__(self):
        self.sch = xsdmap.Schemas(SCHEMAS)
        self.srv = subprocess.Popen([EXISRV], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.lock = threading.Lock()

    def _ask(self, req):
        with self.lock:
            self.srv.stdin.write(req + "\n")
            self.srv.stdin.flush()
            ans = self.srv.stdout.readline().rstrip("\n")
        if not ans.startswith("OK "):
            raise Exception("ccsplc EXI: %s (request %s)" % (ans, req[:2000]))
        return ans[3:]

    def encode(self, message: str, namespace: str) -> bytes:
        (name, value), = json.loads(message).items()
        if name in FRAGMENTS:
            # Josev encodes the SalesTariff as an EXI fragment to sign it, in EIM too, before reading the MO key;
            # the unprovisioned PKI has no key, so it drops the signature: the fragment's bytes are never used.
            return b""
        xml = xsdmap.to_xml(self.sch, name, namespace, value)
        return bytes.fromhex(self._ask("E %s %s" % (PROTO[namespace], xml.replace("\n", " "))))

    def decode(self, stream: bytes, namespace: str) -> str:
        xml = self._ask("D %s %s" % (PROTO[namespace], bytes(stream).hex()))
        return json.dumps(xsdmap.from_xml(self.sch, xml))

    def get_version(self) -> str:
        return "ccsplc EXI codec via exisrv"
