"""KLUE-RE's 30 relations in KLUE's own order (its ``label2id``) and its entity types.

Every model saves this list with its weights (``labels.json`` in the registry), so the
id a network outputs always maps back to the same relation.
"""

from __future__ import annotations

LABELS: tuple[str, ...] = (
    "no_relation", "org:top_members/employees", "org:members", "org:product", "per:title",
    "org:alternate_names", "per:employee_of", "org:place_of_headquarters", "per:product",
    "org:number_of_employees/members", "per:children", "per:place_of_residence", "per:alternate_names",
    "per:other_family", "per:colleagues", "per:origin", "per:siblings", "per:spouse", "org:founded",
    "org:political/religious_affiliation", "org:member_of", "per:parents", "org:dissolved",
    "per:schools_attended", "per:date_of_death", "per:date_of_birth", "per:place_of_birth",
    "per:place_of_death", "org:founded_by", "per:religion",
)
NO_RELATION = "no_relation"
#: Person, organisation, location, date, other proper noun, other number.
TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "DAT", "POH", "NOH")
