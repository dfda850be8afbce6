// People holding posts at a developer of a scored model, at its parent or at a subsidiary.
MATCH (:BenchmarkResult)-[:FOR_MODEL]->(:AIModel)-[:DEVELOPED_BY]->(d:Organisation)
MATCH (d)-[:PARENT_ORGANISATION*0..1]-(o:Organisation)
MATCH (o)<-[:IN_ORGANISATION]-(pos:Position)<-[:HOLDS]-(p:Person)
RETURN DISTINCT d.name AS developer, o.name AS organisation, p.name AS person, pos.title AS title,
       pos.isFormer AS former
