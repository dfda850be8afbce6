// The sectors of $org and how: stated focus, investments (in a sector or in a company
// of a sector), and posts there whose remit names a sector.
MATCH (inv:Organisation {id: $org})
CALL (inv) {
  MATCH (inv)-[r:INVESTMENT_FOCUS]->(s:Sector)
  UNWIND r.evidence AS eid
  MATCH (e:Evidence {id: eid})
  RETURN s, null AS person, 'stated investment focus' AS how, e
  UNION
  MATCH (i:Investment)-[:INVESTOR]->(inv), (i)-[:INVESTMENT_SECTOR]->(s:Sector), (i)-[:EVIDENCE]->(e:Evidence)
  RETURN s, null AS person, 'investment in the sector' AS how, e
  UNION
  MATCH (i:Investment)-[:INVESTOR]->(inv), (i)-[:INVESTEE]->(c:Organisation)-[:IN_SECTOR]->(s:Sector),
        (i)-[:EVIDENCE]->(e:Evidence)
  RETURN s, null AS person, 'investment in ' + c.name + ', which is in the sector' AS how, e
  UNION
  MATCH (p:Person)-[:HOLDS]->(pos:Position)-[:IN_ORGANISATION]->(inv), (pos)-[:REMIT_SECTOR]->(s:Sector),
        (pos)-[:EVIDENCE]->(e:Evidence)
  WHERE pos.title CONTAINS '投'
  RETURN s, p.name AS person, 'post remit: ' + pos.title AS how, e
}
RETURN DISTINCT inv.name AS investor, person, how, s.name AS sector, e.basis AS basis, e.quote AS quote
