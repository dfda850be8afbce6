// Candidates whose name, alias, English name or pinyin contains $needle
// ($needle: lower case, spaces removed).
MATCH (n) WHERE n:Person OR n:Organisation OR n:AIModel OR n:Trend OR n:Sector OR n:ExpertGroup
UNWIND [l IN labels(n) WHERE l IN ['Person', 'Organisation', 'AIModel', 'Trend', 'Sector', 'ExpertGroup']] AS cls
UNWIND [['name', n.name], ['nameEn', n.nameEn], ['pinyin', n.pinyin]]
       + [a IN coalesce(n.alias, []) | ['alias', a]] AS fv
WITH n, cls, fv[0] AS field, fv[1] AS value
WHERE value IS NOT NULL AND toLower(replace(value, ' ', '')) CONTAINS $needle
RETURN n.id AS id, n.name AS name, cls, field, value
