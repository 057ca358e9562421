"""Loads a set of XML Schema files into a small model: element declarations, complex types, simple types.

Only the XSD constructs the V2G schemas use are supported (sequence, choice, any, element refs, substitution
groups, complexContent/simpleContent extension, simple-type restriction with facets); anything else raises.
"""
import os
import xml.etree.ElementTree as ET

XS = "http://www.w3.org/2001/XMLSchema"


class SchemaError(Exception):
    pass


class QName(tuple):
    """(uri, local) with EXI's sort order: local name first, then namespace URI."""

    def __new__(cls, uri, local):
        return tuple.__new__(cls, (uri, local))

    @property
    def uri(self):
        return self[0]

    @property
    def local(self):
        return self[1]

    def sort_key(self):
        return (self.local, self.uri)

    def __repr__(self):
        return "{%s}%s" % self


class SimpleType:
    """A simple type after resolving its derivation chain down to an XSD built-in."""

    def __init__(self, name, builtin, enums=None, min_value=None, max_value=None, max_length=None,
                 base=None):
        self.name = name            # QName or None (anonymous)
        self.builtin = builtin      # local name of the XSD built-in at the root of the chain
        self.enums = enums          # list of literals or None
        self.min_value = min_value  # int bounds (integers only)
        self.max_value = max_value
        self.max_length = max_length
        self.base = base            # QName of the direct base (for naming), or None


class Attribute:
    def __init__(self, qname, stype, required):
        self.qname = qname
        self.stype = stype
        self.required = required


class Particle:
    """kind: 'element' (decl), 'sequence'/'choice' (children), 'any' (namespace constraint)."""

    def __init__(self, kind, min_occurs, max_occurs, decl=None, children=None, namespace=None):
        self.kind = kind
        self.min = min_occurs
        self.max = max_occurs       # None = unbounded
        self.decl = decl
        self.children = children or []
        self.namespace = namespace


class ElementDecl:
    def __init__(self, qname, is_global):
        self.qname = qname
        self.is_global = is_global
        self.type = None            # ComplexType or SimpleType
        self.abstract = False
        self.subst_head = None      # QName of the substitution-group head


class ComplexType:
    def __init__(self, name):
        self.name = name            # QName or None (anonymous)
        self.abstract = False
        self.mixed = False
        self.attributes = []        # list of Attribute, schema order (sorted later by the grammar)
        self.simple = None          # SimpleType when the content is simple
        self.particle = None        # Particle (a sequence) when the content is element-only or mixed
        self.resolved = False


BUILTIN_BOUNDS = {
    "byte": (-128, 127), "short": (-32768, 32767), "int": (-2 ** 31, 2 ** 31 - 1),
    "long": (-2 ** 63, 2 ** 63 - 1), "unsignedByte": (0, 255), "unsignedShort": (0, 65535),
    "unsignedInt": (0, 2 ** 32 - 1), "unsignedLong": (0, 2 ** 64 - 1), "integer": (None, None),
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None), "negativeInteger": (None, -1),
    "nonPositiveInteger": (None, 0),
}
STRING_BUILTINS = {"string", "anyURI", "ID", "IDREF", "NCName", "token", "normalizedString", "Name", "language"}
BINARY_BUILTINS = {"hexBinary", "base64Binary"}
OTHER_BUILTINS = {"boolean", "decimal", "float", "double"}


def _parse_occurs(node):
    mn = int(node.get("minOccurs", "1"))
    mx = node.get("maxOccurs", "1")
    return mn, (None if mx == "unbounded" else int(mx))


class _File:
    def __init__(self, path, root, prefixes):
        self.path = path
        self.root = root
        self.prefixes = prefixes
        self.tns = root.get("targetNamespace", "")
        self.element_qualified = root.get("elementFormDefault") == "qualified"
        self.attribute_qualified = root.get("attributeFormDefault") == "qualified"

    def qname(self, text):
        if ":" in text:
            prefix, local = text.split(":", 1)
            if prefix not in self.prefixes:
                raise SchemaError("%s: unknown prefix %r" % (self.path, prefix))
            return QName(self.prefixes[prefix], local)
        return QName(self.prefixes.get("", ""), text)


def _read_file(path):
    prefixes = {}
    for event, item in ET.iterparse(path, events=("start-ns",)):
        prefix, uri = item
        prefixes.setdefault(prefix, uri)
    return _File(path, ET.parse(path).getroot(), prefixes)


class Schema:
    """All declarations reachable from one root schema file (imports and includes followed)."""

    def __init__(self, root_path):
        self.files = []
        self.elements = {}        # global QName -> ElementDecl
        self.complex_types = {}   # QName -> ComplexType
        self._simple_nodes = {}   # QName -> (file, node)
        self._complex_nodes = {}  # QName -> (file, node)
        self.simple_types = {}    # QName -> SimpleType
        self._load(os.path.abspath(root_path), set())
        for qn, (f, node) in list(self._complex_nodes.items()):
            self.complex_types[qn] = ComplexType(qn)
        for f in self.files:
            for node in f.root.findall("{%s}element" % XS):
                qn = QName(f.tns, node.get("name"))
                self.elements[qn] = ElementDecl(qn, True)
        for f in self.files:
            for node in f.root.findall("{%s}element" % XS):
                self._fill_element(f, node, self.elements[QName(f.tns, node.get("name"))])
        for qn in list(self.complex_types):
            self._resolve_complex(qn)

    # -- loading ------------------------------------------------------------------------------------
    def _load(self, path, seen):
        if path in seen:
            return
        seen.add(path)
        f = _read_file(path)
        self.files.append(f)
        for node in f.root:
            tag = node.tag.split("}")[1]
            if tag in ("import", "include"):
                loc = node.get("schemaLocation")
                if loc:
                    self._load(os.path.join(os.path.dirname(path), loc), seen)
            elif tag == "simpleType":
                self._simple_nodes[QName(f.tns, node.get("name"))] = (f, node)
            elif tag == "complexType":
                self._complex_nodes[QName(f.tns, node.get("name"))] = (f, node)
            elif tag in ("element", "annotation"):
                pass
            else:
                raise SchemaError("%s: unsupported top-level <%s>" % (path, tag))

    # -- simple types -------------------------------------------------------------------------------
    def simple_type(self, qn):
        if qn in self.simple_types:
            return self.simple_types[qn]
        if qn.uri == XS:
            st = _builtin(qn.local)
        elif qn in self._simple_nodes:
            f, node = self._simple_nodes[qn]
            st = self._parse_simple(f, node, qn)
        else:
            raise SchemaError("unknown simple type %r" % (qn,))
        self.simple_types[qn] = st
        return st

    def _parse_simple(self, f, node, name):
        restr = node.find("{%s}restriction" % XS)
        if restr is None:
            raise SchemaError("%s: simpleType %r: only restriction is supported" % (f.path, name))
        if restr.get("base"):
            base_qn = f.qname(restr.get("base"))
            base = self.simple_type(base_qn)
        else:
            base_qn = None
            base = self._parse_simple(f, restr.find("{%s}simpleType" % XS), None)
        st = SimpleType(name, base.builtin, base.enums, base.min_value, base.max_value, base.max_length,
                        base_qn)
        enums = []
        for facet in restr:
            tag = facet.tag.split("}")[1]
            v = facet.get("value")
            if tag == "enumeration":
                enums.append(v)
            elif tag == "minInclusive":
                st.min_value = int(v)
            elif tag == "maxInclusive":
                st.max_value = int(v)
            elif tag == "minExclusive":
                st.min_value = int(v) + 1
            elif tag == "maxExclusive":
                st.max_value = int(v) - 1
            elif tag in ("maxLength", "length"):
                st.max_length = int(v)
            elif tag in ("minLength", "pattern", "annotation", "totalDigits", "fractionDigits"):
                pass
            else:
                raise SchemaError("%s: unsupported facet %s" % (f.path, tag))
        if enums:
            st.enums = enums
        return st

    def _type_ref(self, f, text):
        qn = f.qname(text)
        if qn in self._complex_nodes:
            return self.complex_types[qn]
        return self.simple_type(qn)

    # -- elements -----------------------------------------------------------------------------------
    def _fill_element(self, f, node, decl):
        decl.abstract = node.get("abstract") == "true"
        if node.get("substitutionGroup"):
            decl.subst_head = f.qname(node.get("substitutionGroup"))
        if node.get("type"):
            decl.type = self._type_ref(f, node.get("type"))
        else:
            ct = node.find("{%s}complexType" % XS)
            st = node.find("{%s}simpleType" % XS)
            if ct is not None:
                decl.type = ComplexType(None)
                self._parse_complex(f, ct, decl.type)
            elif st is not None:
                decl.type = self._parse_simple(f, st, None)
            else:  # no type: xs:anyType; not used by the V2G schemas
                raise SchemaError("%s: element %r has no type" % (f.path, decl.qname))

    def _particle(self, f, node):
        tag = node.tag.split("}")[1]
        mn, mx = _parse_occurs(node)
        if tag == "element":
            if node.get("ref"):
                qn = f.qname(node.get("ref"))
                if qn not in self.elements:
                    raise SchemaError("%s: unknown element ref %r" % (f.path, qn))
                return Particle("element", mn, mx, decl=self.elements[qn])
            uri = f.tns if f.element_qualified else ""
            decl = ElementDecl(QName(uri, node.get("name")), False)
            self._fill_element(f, node, decl)
            return Particle("element", mn, mx, decl=decl)
        if tag in ("sequence", "choice"):
            kids = [self._particle(f, k) for k in node if k.tag.split("}")[1] != "annotation"]
            return Particle(tag, mn, mx, children=kids)
        if tag == "any":
            return Particle("any", mn, mx, namespace=node.get("namespace", "##any"))
        raise SchemaError("%s: unsupported particle <%s>" % (f.path, tag))

    def _attributes(self, f, parent):
        out = []
        for a in parent.findall("{%s}attribute" % XS):
            uri = f.tns if f.attribute_qualified else ""
            if a.get("type"):
                st = self.simple_type(f.qname(a.get("type")))
            else:
                st = self._parse_simple(f, a.find("{%s}simpleType" % XS), None)
            out.append(Attribute(QName(uri, a.get("name")), st, a.get("use") == "required"))
        if parent.find("{%s}anyAttribute" % XS) is not None:
            raise SchemaError("%s: anyAttribute is not supported" % f.path)
        return out

    def _parse_complex(self, f, node, ct):
        ct.abstract = node.get("abstract") == "true"
        ct.mixed = node.get("mixed") == "true"
        ct.pending = None
        cc = node.find("{%s}complexContent" % XS)
        sc = node.find("{%s}simpleContent" % XS)
        if sc is not None:
            ext = sc.find("{%s}extension" % XS)
            if ext is None:
                raise SchemaError("%s: simpleContent without extension" % f.path)
            ct.simple = self.simple_type(f.qname(ext.get("base")))
            ct.attributes = self._attributes(f, ext)
            ct.resolved = True
            return
        body = node
        if cc is not None:
            ext = cc.find("{%s}extension" % XS)
            if ext is None:
                raise SchemaError("%s: complexContent without extension" % f.path)
            ct.pending = f.qname(ext.get("base"))
            body = ext
        group = None
        for k in body:
            tag = k.tag.split("}")[1]
            if tag in ("sequence", "choice"):
                group = self._particle(f, k)
        own = Particle("sequence", 1, 1, children=[group] if group else [])
        ct.particle = own
        ct.attributes = self._attributes(f, body)
        if ct.pending is None:
            ct.resolved = True

    def _resolve_complex(self, qn):
        ct = self.complex_types[qn]
        if not ct.resolved and not hasattr(ct, "pending"):
            f, node = self._complex_nodes[qn]
            self._parse_complex(f, node, ct)
        self._finish_extension(ct)

    def _finish_extension(self, ct):
        if ct.resolved:
            return
        base_qn = ct.pending
        self._resolve_complex(base_qn)
        base = self.complex_types[base_qn]
        # Extension: the base's attributes and content first, then the derived type's own.
        ct.attributes = base.attributes + ct.attributes
        ct.mixed = ct.mixed or base.mixed
        ct.particle = Particle("sequence", 1, 1, children=[base.particle] + ct.particle.children)
        ct.resolved = True

    def complex(self, ct):
        """Make sure an anonymous complex type (inside an element) is resolved; returns it."""
        if not ct.resolved:
            self._finish_extension(ct)
        return ct

    def all_declarations(self):
        """Every element declaration, global and local, by qname (EXI fragment grammars count them all)."""
        out, done = {}, set()

        def walk(p):
            if p is None:
                return
            if p.kind == "element":
                visit(p.decl)
            for c in p.children:
                walk(c)

        def visit(d):
            out.setdefault(d.qname, [])
            if d not in out[d.qname]:
                out[d.qname].append(d)
            if isinstance(d.type, ComplexType) and id(d.type) not in done:
                done.add(id(d.type))
                walk(self.complex(d.type).particle)

        for d in self.elements.values():
            visit(d)
        for ct in self.complex_types.values():
            if id(ct) not in done:
                done.add(id(ct))
                walk(self.complex(ct).particle)
        return out

    def all_attributes(self):
        """Every attribute declaration of the schema set (named and anonymous complex types), by qname: the
        simple types it is declared with (EXI's element fragment grammar counts them all)."""
        out, seen = {}, set()
        types = list(self.complex_types.values())
        types += [d.type for ds in self.all_declarations().values() for d in ds]
        for ct in types:
            if not isinstance(ct, ComplexType) or id(ct) in seen:
                continue
            seen.add(id(ct))
            for a in self.complex(ct).attributes:
                out.setdefault(a.qname, []).append(a.stype)
        return out

    def substitutes(self, head_qn):
        """Every element that may stand for head_qn, itself included, sorted by qname. Abstract declarations
        stay in the list: the real encoders count them when numbering the alternatives (checked against ISO-2
        traffic, where the abstract BodyElement takes code 2)."""
        out = []
        for qn, d in self.elements.items():
            h, seen = qn, set()
            while h is not None and h not in seen:
                if h == head_qn:
                    out.append(d)
                    break
                seen.add(h)
                h = self.elements[h].subst_head if h in self.elements else None
        return sorted(out, key=lambda d: d.qname.sort_key())


def _builtin(local):
    if local in BUILTIN_BOUNDS:
        mn, mx = BUILTIN_BOUNDS[local]
        return SimpleType(QName(XS, local), local, min_value=mn, max_value=mx)
    if local in STRING_BUILTINS or local in BINARY_BUILTINS or local in OTHER_BUILTINS:
        return SimpleType(QName(XS, local), local)
    raise SchemaError("unsupported built-in type xs:%s" % local)
