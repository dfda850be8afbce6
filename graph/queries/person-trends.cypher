// Person -> organisation -> sector <- trend, with the evidence of each step:
// post (the entry), link (why the organisation or post is in the sector), trendText.
MATCH (p:Person {id: $person})-[:HOLDS]->(pos:Position)-[:IN_ORGANISATION]->(o:Organisation)
MATCH (pos)-[:EVIDENCE]->(e1:Evidence)
CALL (o, pos) {
  MATCH (o)-[r:IN_SECTOR|INVESTMENT_FOCUS]->(s:Sector)
  UNWIND r.evidence AS eid
  MATCH (e2:Evidence {id: eid})
  RETURN s, e2.quote AS q2, 'organisation sector' AS via
  UNION
  MATCH (pos)-[:REMIT_SECTOR]->(s:Sector)
  MATCH (pos)-[:EVIDENCE]->(e2:Evidence)
  RETURN s, e2.quote AS q2, 'post remit' AS via
}
MATCH (t:Trend)-[r3:CONCERNS_SECTOR]->(s)
UNWIND r3.evidence AS eid3
MATCH (e3:Evidence {id: eid3})
RETURN t.trendNumber AS trendNumber, t.name AS trend, o.name AS organisation, s.name AS sector, via,
       min(e1.quote) AS post, min(q2) AS link, min(e3.quote) AS trendText
