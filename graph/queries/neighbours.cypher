// The edges around the nodes $ids: entity relations only, no evidence, sources, report or
// benchmark plumbing. Each id is looked up under its root label so the constraint indexes are used.
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Person {id: id}) RETURN n UNION MATCH (n:Organisation {id: id}) RETURN n
  UNION MATCH (n:Membership {id: id}) RETURN n UNION MATCH (n:ExpertGroup {id: id}) RETURN n
  UNION MATCH (n:AIModel {id: id}) RETURN n UNION MATCH (n:Sector {id: id}) RETURN n
  UNION MATCH (n:Trend {id: id}) RETURN n UNION MATCH (n:Investment {id: id}) RETURN n
}
MATCH (n)-[r]-(m)
WHERE NOT type(r) IN ['EVIDENCE', 'IN_SOURCE', 'TRANSCRIBES', 'PART_OF_REPORT', 'PUBLISHED_BY', 'ON_BENCHMARK', 'FOR_MODEL']
  AND NOT (m:Evidence OR m:SourceDocument OR m:Report OR m:Benchmark OR m:BenchmarkResult)
RETURN DISTINCT startNode(r).id AS source, type(r) AS relation, endNode(r).id AS target
