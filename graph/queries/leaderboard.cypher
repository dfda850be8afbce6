// Benchmark scores with developers (and whether the Blue Book or curated data names them),
// and the table row each score was read from.
MATCH (r:BenchmarkResult)-[:FOR_MODEL]->(m:AIModel), (r)-[:ON_BENCHMARK]->(b:Benchmark), (r)-[:EVIDENCE]->(e:Evidence)
OPTIONAL MATCH (m)-[d:DEVELOPED_BY]->(o:Organisation)
UNWIND (CASE WHEN d IS NULL THEN [null] ELSE d.evidence END) AS eid
OPTIONAL MATCH (ev:Evidence {id: eid})
RETURN DISTINCT m.name AS model, o.name AS developer, ev.basis AS basis, b.name AS benchmark,
       r.assessedIn AS assessedIn, r.score AS score, e.quote AS quote
