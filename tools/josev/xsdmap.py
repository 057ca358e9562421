# Josev's JSON message form <-> namespaced XML, by the XSDs Josev ships: for the manual Josev runs only
# (tools/josev/run.sh). Element namespaces, child order, list-ness (maxOccurs > 1) and simple types come from the XSDs.
import glob
import os
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"
INT_TYPES = {"byte", "short", "int", "long", "integer", "unsignedByte", "unsignedShort", "unsignedInt",
             "unsignedLong", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger"}


class Schemas:
    def __init__(self, root):
        self.elements = {}   # (ns, name) -> decl {name, ns, type, max}
        self.types = {}      # (ns, name) -> typedef {children: [decl], attrs: set, base: qname|None, simple: qname|None}
        self.simple = {}     # (ns, name) -> base qname
        for path in sorted(glob.glob(os.path.join(root, "**", "*.xsd"), recursive=True)):
            self._load(path)

    def _load(self, path):
        nsmap = {}
        for ev, (prefix, uri) in ET.iterparse(path, events=["start-ns"]):
            nsmap.setdefault(prefix, uri)
        doc = ET.parse(path).getroot()
        tns = doc.get("targetNamespace")
        qualified = doc.get("elementFormDefault") == "qualified"
        attr_q = doc.get("attributeFormDefault") == "qualified"

        def qn(s):
            if s is None:
                return None
            p, _, local = s.rpartition(":")
            return (nsmap.get(p, "") if p else nsmap.get("", ""), local)

        def complex_type(ct):
            td = {"children": [], "attrs": {}, "base": None, "simple": None}

            def walk(node):
                for c in node:
                    tag = c.tag
                    if tag == XS + "element":
                        maxo = c.get("maxOccurs", "1")
                        many = maxo == "unbounded" or int(maxo) > 1
                        if c.get("ref"):
                            td["children"].append({"ref": qn(c.get("ref")), "max": many})
                        else:
                            inline = c.find(XS + "complexType")
                            t = ("inline", id(inline)) if inline is not None else qn(c.get("type"))
                            if inline is not None:
                                self.types[t] = complex_type(inline)
                            st = c.find(XS + "simpleType")
                            if st is not None:
                                r = st.find(XS + "restriction")
                                t = qn(r.get("base")) if r is not None else ("", "string")
                            td["children"].append({"name": c.get("name"), "ns": tns if qualified else "",
                                                   "type": t, "max": many})
                    elif tag in (XS + "sequence", XS + "choice", XS + "all"):
                        walk(c)
                    elif tag in (XS + "complexContent", XS + "simpleContent"):
                        for d in c:
                            if d.tag in (XS + "extension", XS + "restriction"):
                                if c.tag == XS + "simpleContent":
                                    td["simple"] = qn(d.get("base"))
                                else:
                                    td["base"] = qn(d.get("base"))
                                walk(d)
                    elif tag == XS + "attribute":
                        td["attrs"][c.get("name") or qn(c.get("ref"))[1]] = tns if attr_q else ""
            walk(ct)
            return td

        for c in doc:
            if c.tag == XS + "complexType":
                self.types[(tns, c.get("name"))] = complex_type(c)
            elif c.tag == XS + "simpleType":
                r = c.find(XS + "restriction")
                self.simple[(tns, c.get("name"))] = qn(r.get("base")) if r is not None else ("", "string")
            elif c.tag == XS + "element":
                inline = c.find(XS + "complexType")
                t = ("inline", id(inline)) if inline is not None else qn(c.get("type"))
                if inline is not None:
                    self.types[t] = complex_type(inline)
                self.elements[(tns, c.get("name"))] = {"name": c.get("name"), "ns": tns, "type": t, "max": False}

    def children(self, t):
        """The child declarations of type t in schema order (base type's first), refs resolved."""
        td = self.types.get(t)
        if td is None:
            return []
        out = self.children(td["base"]) if td["base"] else []
        for c in td["children"]:
            if "ref" in c:
                g = self.elements.get(c["ref"])
                if g:
                    out.append(dict(g, max=c["max"]))
            else:
                out.append(c)
        return out

    def attrs(self, t):
        td = self.types.get(t)
        if td is None:
            return {}
        return dict(self.attrs(td["base"]) if td["base"] else {}, **td["attrs"])

    def builtin(self, t):
        """The XSD built-in type a simple type (or simple-content complex type) derives from."""
        seen = 0
        while t and seen < 20:
            seen += 1
            if t[0] == "http://www.w3.org/2001/XMLSchema":
                return t[1]
            if t in self.simple:
                t = self.simple[t]
            elif t in self.types and self.types[t]["simple"]:
                t = self.types[t]["simple"]
            else:
                return None
        return None

    def global_by_name(self, name, prefer_ns):
        g = self.elements.get((prefer_ns, name))
        if g:
            return g
        fam = prefer_ns.rsplit(":", 1)[0]   # urn:din:70121:2012, urn:iso:15118:2:2013, urn:iso:std:iso:15118:-20
        hits = [g for (ns, n), g in self.elements.items() if n == name]
        same = [g for g in hits if g["ns"].rsplit(":", 1)[0] == fam]
        return (same or hits or [None])[0]


def _text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def to_xml(sch, root_name, root_ns, value):
    """Josev's dict {root_name: value} as XML text, namespaces and order by the schema."""
    prefixes = {}

    def tag(ns, name):
        if not ns:
            return name
        if ns not in prefixes:
            prefixes[ns] = "n%d" % len(prefixes)
        return "%s:%s" % (prefixes[ns], name)

    def elem(decl, v, out):
        t = decl["type"]
        if isinstance(v, dict):
            kids = sch.children(t)
            attrs = sch.attrs(t)
            head = tag(decl["ns"], decl["name"])
            a = "".join(' %s="%s"' % (tag(attrs[k], k), _esc(_text(v[k]))) for k in v if k in attrs)
            body = []
            used = set(k for k in v if k in attrs)
            for kd in kids:
                if kd["name"] in v and kd["name"] not in used:
                    used.add(kd["name"])
                    vv = v[kd["name"]]
                    for item in (vv if isinstance(vv, list) else [vv]):
                        elem(kd, item, body)
            for k in v:   # substitution-group members (Body's BodyElement) and anything the type did not list
                if k not in used:
                    g = sch.global_by_name(k, decl["ns"])
                    if g is None:
                        raise ValueError("no element %s under %s" % (k, decl["name"]))
                    for item in (v[k] if isinstance(v[k], list) else [v[k]]):
                        elem(g, item, body)
            out.append("<%s%s>%s</%s>" % (head, a, "".join(body), head))
        else:
            head = tag(decl["ns"], decl["name"])
            out.append("<%s>%s</%s>" % (head, _esc(_text(v)), head))

    g = sch.elements.get((root_ns, root_name)) or sch.global_by_name(root_name, root_ns)
    if g is None:
        raise ValueError("no global element %s in %s" % (root_name, root_ns))
    out = []
    elem(g, value, out)
    xml = "".join(out)
    decls = "".join(' xmlns:%s="%s"' % (p, ns) for ns, p in prefixes.items())
    i = xml.index(">")
    if xml[i - 1] == "/":
        i -= 1
    return xml[:i] + decls + xml[i:]


def _esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def from_xml(sch, xml_text):
    """Namespaced XML -> Josev's dict {root: {...}}: lists where the schema allows more than one, XSD integers as
    int, booleans as bool, everything else as text."""
    root = ET.fromstring(xml_text)

    def split(t):
        if t.startswith("{"):
            ns, _, name = t[1:].partition("}")
            return ns, name
        return "", t

    def conv(decl, node):
        t = decl["type"] if decl else None
        kids = list(node)
        if kids or node.attrib or (t in sch.types and not sch.types[t]["simple"]):
            d = {}
            for k, v in node.attrib.items():
                d[split(k)[1]] = v
            decls = {c["name"]: c for c in sch.children(t)} if t else {}
            for c in kids:
                ns, name = split(c.tag)
                cd = decls.get(name) or sch.global_by_name(name, ns)
                val = conv(cd, c)
                if cd and cd.get("max"):
                    d.setdefault(name, []).append(val)
                else:
                    d[name] = val
            return d
        text = node.text or ""
        b = sch.builtin(t) if t else None
        if b in INT_TYPES:
            return int(text)
        if b == "boolean":
            return text.strip() in ("true", "1")
        return text

    ns, name = split(root.tag)
    g = sch.elements.get((ns, name))
    return {name: conv(g, root)}
