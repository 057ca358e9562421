"""Turns the XSD model into what the codec needs: per complex type, its C fields and its EXI grammar.

The grammar follows EXI 1.0 section 8.5.4 (schema-informed element grammars) for non-strict streams:
attribute uses sorted by qname, then the content model; bounded repeats unrolled; substitution groups
replaced by their members sorted by qname; then determinized. Event codes in a state are ordered
AT (by qname), SE (schema order), SE(*), EE, CH; the code width is ceil(log2(n + 1)) because non-strict
grammars keep one more code for the second level. A qname declared with different types gets the relaxed
element fragment grammar of section 8.5.3 instead (Builder.relaxed_grammar).
"""
from xsd import ComplexType, QName, SchemaError, SimpleType


def code_width(n):
    """Bits needed for n distinct event codes."""
    bits = 0
    while (1 << bits) < n:
        bits += 1
    return bits


class Field:
    """One member of a generated struct."""

    def __init__(self, name, qname, typ, role, order):
        self.name = name          # C identifier
        self.qname = qname        # element/attribute QName (None for simple content)
        self.type = typ           # SimpleType or ComplexType
        self.role = role          # 'attr' | 'elem' | 'content'
        self.order = order        # schema order key
        self.presence = "none"    # 'none' | 'flag' | 'array' | 'choice'
        self.cap = 1              # array capacity
        self.schema_max = 1       # maxOccurs from the schema (None = unbounded)
        self.choice = None        # ChoiceGroup when presence == 'choice'
        self.choice_value = 0     # selector value (1-based)


class ChoiceGroup:
    def __init__(self, name):
        self.name = name          # C name of the selector field
        self.fields = []
        self.optional = False


class Terminal:
    """Grammar symbol: kind in AT, SE, OVF (an occurrence past the capacity), ANY, CH (simple content),
    MIX (untyped characters in mixed content), EE, NO (an event the struct has no member for: refused)."""

    def __init__(self, kind, field=None):
        self.kind = kind
        self.field = field

    def sort_key(self):
        rank = {"AT": 0, "SE": 2, "OVF": 2, "ANY": 3, "EE": 4, "CH": 5, "MIX": 5}[self.kind]
        if self.kind == "AT":
            return (rank, self.field.qname.sort_key())
        if self.kind in ("SE", "OVF"):
            return (rank, (self.field.order, 0))
        return (rank, ("", ""))


class State:
    def __init__(self, index):
        self.index = index
        self.prods = []           # list of (Terminal, next State index or None for EE)
        self.nbits = 0


class TypeGrammar:
    def __init__(self, ctype, cname):
        self.ctype = ctype
        self.cname = cname
        self.fields = []
        self.choices = []
        self.states = []


class _Nfa:
    def __init__(self):
        self.eps = []    # node -> list of nodes
        self.edges = []  # node -> list of (Terminal, node)

    def node(self):
        self.eps.append([])
        self.edges.append([])
        return len(self.eps) - 1

    def closure(self, nodes):
        out, stack = set(nodes), list(nodes)
        while stack:
            n = stack.pop()
            for m in self.eps[n]:
                if m not in out:
                    out.add(m)
                    stack.append(m)
        return frozenset(out)


class Builder:
    """Builds TypeGrammar objects for every complex type reachable from a set of root elements."""

    def __init__(self, schema, prefix, caps):
        self.schema = schema
        self.prefix = prefix
        self.caps = caps
        self.grammars = {}       # id(ComplexType) -> TypeGrammar
        self.order = []          # TypeGrammar in dependency order (children first)
        self.relaxed = []        # relaxed element fragment grammars (EXI 8.5.3), see relaxed_grammar
        self.cnames = set()

    # -- naming ---------------------------------------------------------------------------------------
    def type_cname(self, ct, owner_elem):
        return self._unique_cname(ct.name.local if ct.name is not None else owner_elem.local + "Type")

    def _unique_cname(self, base):
        name = "%s_%s" % (self.prefix, base)
        n = 2
        while name in self.cnames:
            name = "%s_%s%d" % (self.prefix, base, n)
            n += 1
        self.cnames.add(name)
        return name

    # -- public ---------------------------------------------------------------------------------------
    def grammar_for(self, ct, owner_elem):
        key = id(ct)
        if key in self.grammars:
            return self.grammars[key]
        self.schema.complex(ct)
        g = TypeGrammar(ct, self.type_cname(ct, owner_elem))
        self.grammars[key] = g
        self._fields(g)
        for f in g.fields:
            if isinstance(f.type, ComplexType):
                self.grammar_for(f.type, f.qname)
        self._build_grammar(g)
        self.order.append(g)
        return g

    def relaxed_grammar(self, qname, decls, attributes, n_elements):
        """The relaxed grammar of EXI 8.5.3 (Schema-informed Element Fragment Grammar) for a qname the schema set
        declares with different types, where a fragment cannot tell which one applies:
          ElementFragment0: AT(A_0) .. AT(A_n-1) AT(*) SE(F_0) .. SE(F_m-1) SE(*) EE CH -> ElementFragment1
          ElementFragment1: SE(F_0) .. SE(F_m-1) SE(*) EE CH
        A = every attribute qname of the schema set (attributes: qname -> the simple types it is declared with; a
        value keeps its type when every declaration names the same one, else it is a string), F = every element
        qname (n_elements of them), characters untyped (strings). The non-strict augmentation (8.5.4.4) only adds
        second-level events, for which the code width keeps one code and which the runtime refuses.
        The struct holds what the declarations can carry: their attributes, each optional and at most once, in
        qname order (the order canonical EXI writes), and one run of characters; every other event is refused
        (CCS_EUNSUPP; a second run of characters CCS_ECAP)."""
        ct = ComplexType(None)
        ct.resolved = True
        g = TypeGrammar(ct, self._unique_cname(qname.local + "FragmentType"))
        self.grammars[id(ct)] = g
        self.relaxed.append(g)
        own = {}
        for d in decls:
            if isinstance(d.type, ComplexType):
                for a in self.schema.complex(d.type).attributes:
                    own.setdefault(a.qname, a)
        attrs = []
        for q in sorted(own, key=lambda q: q.sort_key()):
            types = attributes[q]
            same = types[0].name is not None and all(t.name == types[0].name for t in types)
            f = self._add_field(g, q.local, q, types[0] if same else SimpleType(None, "string"), "attr")
            f.presence = "flag"
            attrs.append(f)
        contents = [d.type if isinstance(d.type, SimpleType) else d.type.simple for d in decls]
        bounded = all(c is not None and c.max_length is not None for c in contents)
        text = SimpleType(None, "string", max_length=max(c.max_length for c in contents) if bounded else None)
        chars = self._add_field(g, "CONTENT", None, text, "content")
        chars.presence = "flag"
        refused = (Terminal("NO"), None)
        elements = [refused] * (n_elements + 1)  # SE(F_0) .. SE(F_m-1), SE(*)
        member = {f.qname: i for i, f in enumerate(attrs)}
        every = sorted(attributes, key=lambda q: q.sort_key())
        content_state = len(attrs) + 1
        for done in range(len(attrs) + 1):  # ElementFragment0, once per number of attributes already read
            prods = [(Terminal("AT", attrs[member[q]]), member[q] + 1) if member.get(q, -1) >= done else refused
                     for q in every]
            prods += [refused] + elements + [(Terminal("EE"), None), (Terminal("CH", chars), content_state)]
            self._add_state(g, prods)
        self._add_state(g, elements + [(Terminal("EE"), None), (Terminal("OVF", chars), None)])
        return g

    @staticmethod
    def _add_state(g, prods):
        st = State(len(g.states))
        st.prods = prods
        st.nbits = code_width(len(prods) + 1)
        g.states.append(st)

    # -- fields ---------------------------------------------------------------------------------------
    def _add_field(self, g, name, qname, typ, role):
        used = {f.name for f in g.fields} | {c.name for c in g.choices}
        cname, n = name, 2
        while cname in used:
            cname = "%s_%d" % (name, n)
            n += 1
        f = Field(cname, qname, typ, role, len(g.fields))
        g.fields.append(f)
        return f

    def _cap_for(self, g, decl_local, schema_max):
        key = "%s.%s" % (g.ctype.name.local if g.ctype.name else g.cname, decl_local)
        if key in self.caps.get("arrays", {}):
            return self.caps["arrays"][key]
        if decl_local in self.caps.get("arrays", {}):
            return self.caps["arrays"][decl_local]
        default = self.caps["array_default"]
        return default if schema_max is None else min(schema_max, max(default, self.caps["array_min"]))

    def _members(self, decl):
        if decl.is_global:
            subs = self.schema.substitutes(decl.qname)
            if len(subs) > 1 or (subs and subs[0] is not decl):
                return subs
            if decl.abstract:
                raise SchemaError("abstract element %r has no substitutes" % (decl.qname,))
        return [decl]

    def _fields(self, g):
        ct = g.ctype
        for a in sorted(ct.attributes, key=lambda a: a.qname.sort_key()):  # the order AT events take
            f = self._add_field(g, a.qname.local, a.qname, a.stype, "attr")
            f.presence = "none" if a.required else "flag"
        if ct.simple is not None:
            self._add_field(g, "CONTENT", None, ct.simple, "content")
        if ct.particle is not None:
            g.particle_fields = {}
            self._walk(g, ct.particle, optional=False, repeated=False)

    def _walk(self, g, p, optional, repeated):
        optional = optional or p.min == 0
        rep = repeated or p.max != 1
        if p.kind == "sequence":
            for c in p.children:
                self._walk(g, c, optional, rep)
        elif p.kind == "choice":
            if p.max == 1 and not repeated and all(c.kind == "element" and c.max == 1 for c in p.children):
                self._choice(g, p, [m for c in p.children for m in self._members(c.decl)],
                             optional or any(c.min == 0 for c in p.children), "choice", p)
                for c in p.children:
                    g.particle_fields[id(c)] = g.particle_fields[id(p)]
            else:
                for c in p.children:
                    self._walk(g, c, True, rep)
        elif p.kind == "element":
            members = self._members(p.decl)
            if len(members) > 1 and not rep:
                self._choice(g, p, members, optional, p.decl.qname.local + "_choice", p)
                return
            fields = []
            for m in members:
                f = self._add_field(g, m.qname.local, m.qname, m.type, "elem")
                cap = self._cap_for(g, m.qname.local, None if repeated else p.max) if rep else 1
                if rep and (cap > 1 or repeated):
                    f.presence = "array"
                    f.schema_max = None if repeated else p.max
                    f.cap = self._cap_for(g, m.qname.local, f.schema_max)
                elif optional or len(members) > 1:
                    f.presence = "flag"  # also a repeatable element kept to one occurrence (capacity 1)
                fields.append(f)
            g.particle_fields[id(p)] = fields
        elif p.kind == "any":
            g.particle_fields[id(p)] = []

    def _choice(self, g, p, members, optional, name, particle):
        n = sum(1 for c in g.choices if c.name.startswith(name))
        grp = ChoiceGroup(name if n == 0 else "%s%d" % (name, n + 1))
        grp.optional = optional
        g.choices.append(grp)
        fields = []
        for i, m in enumerate(members):
            f = self._add_field(g, m.qname.local, m.qname, m.type, "elem")
            f.presence = "choice"
            f.choice = grp
            f.choice_value = i + 1
            grp.fields.append(f)
            fields.append(f)
        g.particle_fields[id(particle)] = fields

    # -- grammar --------------------------------------------------------------------------------------
    def _build_grammar(self, g):
        nfa = _Nfa()
        start = nfa.node()
        cur = start
        attrs = sorted((f for f in g.fields if f.role == "attr"), key=lambda f: f.qname.sort_key())
        for f in attrs:
            nxt = nfa.node()
            nfa.edges[cur].append((Terminal("AT", f), nxt))
            if f.presence == "flag":
                nfa.eps[cur].append(nxt)
            cur = nxt
        content_nodes_from = len(nfa.eps)
        if g.ctype.simple is not None:
            nxt = nfa.node()
            nfa.edges[cur].append((Terminal("CH", g.fields[len(attrs)]), nxt))
            cur = nxt
        elif g.ctype.particle is not None:
            s, e = self._frag(nfa, g, g.ctype.particle)
            nfa.eps[cur].append(s)
            cur = e
        final = cur
        if g.ctype.mixed:
            for n in range(content_nodes_from, len(nfa.eps)):
                nfa.edges[n].append((Terminal("MIX"), n))
            if content_nodes_from > final:  # no content nodes were made: mixed empty content
                nfa.edges[final].append((Terminal("MIX"), final))
        self._determinize(g, nfa, start, final)

    def _frag(self, nfa, g, p):
        """Thompson fragment (start, end) for particle p with its occurrence bounds."""
        if p.max is None or p.max > 1:
            if p.kind != "element":
                if p.max is not None:
                    raise SchemaError("%s: bounded repeat of a model group is not supported" % g.cname)
                s, e = self._frag_once(nfa, g, p)
                loop_s, loop_e = nfa.node(), nfa.node()
                nfa.eps[loop_s].append(s)
                nfa.eps[e].append(s)
                nfa.eps[e].append(loop_e)
                if p.min == 0:
                    nfa.eps[loop_s].append(loop_e)
                return loop_s, loop_e
            return self._frag_repeat(nfa, g, p)
        s, e = self._frag_once(nfa, g, p)
        if p.min == 0:
            nfa.eps[s].append(e)
        return s, e

    def _frag_repeat(self, nfa, g, p):
        fields = g.particle_fields[id(p)]
        cap = max(f.cap for f in fields) if fields else 1
        copies = cap if (p.max is None or p.max > cap) else p.max
        start = nfa.node()
        cur = start
        exits = []
        for i in range(copies):
            nxt = nfa.node()
            for f in fields:
                nfa.edges[cur].append((Terminal("SE", f), nxt))
            if i >= p.min:
                exits.append(cur)
            cur = nxt
        if p.max is None or p.max > copies:
            for f in fields:
                nfa.edges[cur].append((Terminal("OVF", f), cur))
        end = nfa.node()
        exits.append(cur)
        for x in exits:
            nfa.eps[x].append(end)
        if p.min > copies:
            raise SchemaError("%s: minOccurs above the capacity" % g.cname)
        return start, end

    def _frag_once(self, nfa, g, p):
        s, e = nfa.node(), nfa.node()
        if p.kind == "element":
            for f in g.particle_fields[id(p)]:
                nfa.edges[s].append((Terminal("SE", f), e))
        elif p.kind == "any":
            nfa.edges[s].append((Terminal("ANY"), e))
        elif p.kind == "sequence":
            cur = s
            for c in p.children:
                cs, ce = self._frag(nfa, g, c)
                nfa.eps[cur].append(cs)
                cur = ce
            nfa.eps[cur].append(e)
        elif p.kind == "choice":
            if id(p) in g.particle_fields:  # a union choice: one SE per member
                for f in g.particle_fields[id(p)]:
                    nfa.edges[s].append((Terminal("SE", f), e))
            else:
                for c in p.children:
                    cs, ce = self._frag(nfa, g, c)
                    nfa.eps[s].append(cs)
                    nfa.eps[ce].append(e)
        return s, e

    def _determinize(self, g, nfa, start, final):
        first = nfa.closure([start])
        index = {first: 0}
        todo = [first]
        g.states = [State(0)]
        while todo:
            cur = todo.pop(0)
            st = g.states[index[cur]]
            moves = {}
            keys = {}
            for n in cur:
                for t, m in nfa.edges[n]:
                    k = (t.kind, id(t.field) if t.field is not None else None)
                    keys.setdefault(k, t)
                    moves.setdefault(k, set()).add(m)
            prods = []
            for k, targets in moves.items():
                tgt = nfa.closure(targets)
                if tgt not in index:
                    index[tgt] = len(g.states)
                    g.states.append(State(len(g.states)))
                    todo.append(tgt)
                prods.append((keys[k], index[tgt]))
            if final in cur:
                prods.append((Terminal("EE"), None))
            prods.sort(key=lambda pr: pr[0].sort_key())
            st.prods = prods
            st.nbits = code_width(len(prods) + 1)
