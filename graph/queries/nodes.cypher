// Display label, classes and (for memberships) the first evidence quote of the nodes $ids.
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Person {id: id}) RETURN n UNION MATCH (n:Organisation {id: id}) RETURN n
  UNION MATCH (n:Membership {id: id}) RETURN n UNION MATCH (n:ExpertGroup {id: id}) RETURN n
  UNION MATCH (n:AIModel {id: id}) RETURN n UNION MATCH (n:Sector {id: id}) RETURN n
  UNION MATCH (n:Trend {id: id}) RETURN n UNION MATCH (n:Investment {id: id}) RETURN n
}
OPTIONAL MATCH (n:Membership)-[:EVIDENCE]->(e:Evidence)
WITH n, min(e.quote) AS quote
UNWIND labels(n) AS cls
RETURN n.id AS id, coalesce(n.name, n.title, n.role, '') AS label, cls, quote
