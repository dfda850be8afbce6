// Investors connected to $target (a sector, or a trend and its sectors, each with its broader
// sector), and how: a stated investment focus, an investment in the sector or in a company
// of the sector, or an investment post whose remit names the sector.
MATCH (t {id: $target}) WHERE t:Sector OR t:Trend
OPTIONAL MATCH (t)-[:CONCERNS_SECTOR]->(cs:Sector)
WITH t, CASE WHEN t:Sector THEN [t] ELSE collect(cs) END AS starts
UNWIND starts AS s0
OPTIONAL MATCH (s0)-[:BROADER_SECTOR]->(b:Sector)
UNWIND [[s0, ''], [b, ' (broader sector)']] AS pair
WITH pair[0] AS s, pair[1] AS scope WHERE s IS NOT NULL
CALL (s) {
  MATCH (inv:Organisation)-[r:INVESTMENT_FOCUS]->(s)
  UNWIND r.evidence AS eid
  MATCH (e:Evidence {id: eid})
  RETURN inv, null AS person, 'stated investment focus' AS how0, e
  UNION
  MATCH (i:Investment)-[:INVESTOR]->(inv:Organisation), (i)-[:INVESTMENT_SECTOR]->(s), (i)-[:EVIDENCE]->(e:Evidence)
  RETURN inv, null AS person, 'investment in the sector' AS how0, e
  UNION
  MATCH (i:Investment)-[:INVESTOR]->(inv:Organisation), (i)-[:INVESTEE]->(c:Organisation)-[:IN_SECTOR]->(s),
        (i)-[:EVIDENCE]->(e:Evidence)
  RETURN inv, null AS person, 'investment in ' + c.name + ', which is in the sector' AS how0, e
  UNION
  MATCH (p:Person)-[:HOLDS]->(pos:Position)-[:REMIT_SECTOR]->(s),
        (pos)-[:IN_ORGANISATION]->(inv:Organisation), (pos)-[:EVIDENCE]->(e:Evidence)
  WHERE pos.title CONTAINS '投'
  RETURN inv, p.name AS person, 'post remit: ' + pos.title AS how0, e
}
RETURN DISTINCT inv.name AS investor, inv.id AS investorId, person, how0 + scope AS how, s.name AS sector, e.basis AS basis,
       e.quote AS quote
