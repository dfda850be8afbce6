// The people of $org and of its subsidiaries: title, former or current, the entry that says so.
MATCH (org:Organisation {id: $org})<-[:PARENT_ORGANISATION*0..]-(o:Organisation)
MATCH (o)<-[:IN_ORGANISATION]-(pos:Position)<-[:HOLDS]-(p:Person)
MATCH (pos)-[:EVIDENCE]->(e:Evidence)
RETURN p.name AS person, pos.title AS title, pos.isFormer AS former, o.name AS organisation, e.quote AS quote
