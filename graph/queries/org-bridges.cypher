// Organisations whose people sit in two or more expert groups: each group and who is there.
MATCH (o:Organisation)<-[:IN_ORGANISATION]-(:Position)<-[:HOLDS]-(:Person)-[:HOLDS]->(:GroupMembership)-[:IN_GROUP]->(g:ExpertGroup)
WITH o, count(DISTINCT g) AS n WHERE n > 1
MATCH (o)<-[:IN_ORGANISATION]-(:Position)<-[:HOLDS]-(p:Person)-[:HOLDS]->(:GroupMembership)-[:IN_GROUP]->(g:ExpertGroup)
RETURN DISTINCT o.name AS organisation, g.name AS group, p.name AS person
