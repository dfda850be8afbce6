// The evidence of facts named in $triples ([source id, relationship type, target id]): the
// `evidence` ids on the relationship, resolved to Evidence nodes.
UNWIND $triples AS tr
CALL (tr) {
  MATCH (a:Organisation {id: tr[0]}) RETURN a UNION MATCH (a:AIModel {id: tr[0]}) RETURN a
  UNION MATCH (a:Trend {id: tr[0]}) RETURN a UNION MATCH (a:Sector {id: tr[0]}) RETURN a
}
MATCH (a)-[r]->(b {id: tr[2]})
WHERE type(r) = tr[1] AND r.evidence IS NOT NULL
UNWIND r.evidence AS eid
MATCH (e:Evidence {id: eid})
RETURN a.id AS s, type(r) AS relation, b.id AS t, e.basis AS basis, min(e.quote) AS quote
