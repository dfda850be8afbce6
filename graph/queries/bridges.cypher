// People who sit in two or more expert groups, with each group.
MATCH (p:Person)-[:HOLDS]->(:GroupMembership)-[:IN_GROUP]->(g:ExpertGroup)
WITH p, count(DISTINCT g) AS groups WHERE groups > 1
MATCH (p)-[:HOLDS]->(:GroupMembership)-[:IN_GROUP]->(g:ExpertGroup)
RETURN DISTINCT p.name AS person, g.name AS group, groups
