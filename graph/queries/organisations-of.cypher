// The organisations of $person: posts and alliance roles, with the text that states them.
MATCH (p:Person {id: $person})-[:HOLDS]->(m:Membership)-[:IN_ORGANISATION]->(o:Organisation)
MATCH (m)-[:EVIDENCE]->(e:Evidence)
RETURN o.name AS organisation, CASE WHEN m:Position THEN 'Position' ELSE 'AllianceRole' END AS kind,
       m.title AS title, m.isFormer AS former, e.quote AS quote
