// The people who share an expert group with $person.
MATCH (p:Person {id: $person})-[:HOLDS]->(:GroupMembership)-[:IN_GROUP]->(g:ExpertGroup)
MATCH (g)<-[:IN_GROUP]-(:GroupMembership)<-[:HOLDS]-(m:Person)
WHERE m <> p
RETURN DISTINCT g.name AS group, m.name AS member
