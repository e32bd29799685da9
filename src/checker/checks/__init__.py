"""The built-in checker kinds and the national rule pack, registered as a plugin like any other."""
from __future__ import annotations

import os

from ..helpers.packdata import national_rules_dir  # noqa: F401  (where the national pack is)
from ..hookspecs import hookimpl
from ..records import RulePack
from .count import CountKind
from .element import CompanionKind, ElementKind
from .itemwise import ItemShareKind, PartSizeKind, PlanAnswersKind
from .coverage import CoverageKind
from .facts import FactThresholdKind
from .measures import DensityKind
from .phrases import ExistenceKind, SubstitutionKind
from .timing import DateDeadlineKind, YearEvidenceKind, YearRelationKind

BUILTIN_KINDS = (ElementKind, CompanionKind, ExistenceKind, SubstitutionKind, CountKind,
                 YearRelationKind, DateDeadlineKind, PartSizeKind, ItemShareKind, PlanAnswersKind,
                 DensityKind, CoverageKind, FactThresholdKind, YearEvidenceKind)


@hookimpl
def fazhi_lint_checker_kinds():
    return [kind() for kind in BUILTIN_KINDS]


@hookimpl
def fazhi_lint_rule_packs():
    from .. import __version__

    from ..helpers.packdata import POLICY_FILE, national_policy

    return [RulePack(name="national", paths=[national_rules_dir()], version=__version__,
                     policy=national_policy(), policy_source=os.path.join(national_rules_dir(), POLICY_FILE),
                     description="全国通用规则：《法治政府建设与责任落实督察工作规定》等")]
