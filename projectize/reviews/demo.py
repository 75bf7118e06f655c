"""Demo rubrics of 新桥镇党委, one per purpose, made through the services; the same as defaults of the
district (松江区委), from which a new town's are copied, and as the second town's own.

Other apps' demos find them with `selectors.rubric_for(organization=..., purpose=...)`, the
purposes being "application", "claim", "acceptance", "initial_assessment" and "showcase".
The reviews themselves are opened by the apps that own the subjects (projects, claims, ...).
"""

from decimal import Decimal
from typing import Any

from projectize.orgs.demo import district, second_town, xinqiao
from projectize.orgs.models import User
from projectize.reviews.models import Aggregation, Band, Purpose, Rubric
from projectize.reviews.services import CriterionSpec, GradeSpec, RubricSpec, rubric_create

STANDARD_GRADES = [
    GradeSpec("优秀", Decimal(90)),
    GradeSpec("良好", Decimal(80)),
    GradeSpec("合格", Decimal(60)),
    GradeSpec("不合格", Decimal(0)),
]
# Each band a range: the reviewer picks the band, then a coefficient in it (step 0.05, or a band's edge).
COEFFICIENTS = (
    Band("好", Decimal("1"), Decimal("0.85")),
    Band("较好", Decimal("0.84"), Decimal("0.7")),
    Band("一般", Decimal("0.69"), Decimal("0.5")),
    Band("差", Decimal("0.3"), Decimal("0")),
)


def points(name: str, weight: int, description: str) -> CriterionSpec:
    return CriterionSpec(name=name, weight=Decimal(weight), description=description)


RUBRICS = [
    RubricSpec(
        name="三型党建项目申报评审标准",
        purpose=Purpose.APPLICATION,
        description="用于年度三型党建项目申报的遴选评审。",
        criteria=[
            points("目标量化", 20, "目标细化、量化，指标有基线和目标值。"),
            points("创新性", 20, "针对难题提出新思路、新办法，或形成可复制的品牌与制度。"),
            points("可行性", 20, "步骤、时间和推进方式清楚，经费预算合理。"),
            points("组织保障", 20, "组织措施到位，五定（项目、方案、牵头领导、责任人、团队）可落实。"),
            points("预期成效", 20, "预期效果明确，惠及群众，可检验。"),
        ],
        grades=STANDARD_GRADES,
    ),
    RubricSpec(
        name="家新桥项目认领方案评估标准",
        purpose=Purpose.CLAIM,
        description="对认领单位提交的方案和认领理由进行综合考量。",
        criteria=[
            points("资源匹配", 30, "认领单位的资源、专长与标的需求相匹配。"),
            points("方案可行", 30, "方案具体，时间节点和分工明确。"),
            points("认领理由", 20, "理由充分，体现单位优势和服务意愿。"),
            points("服务承诺", 20, "投入人力、物力和持续服务的承诺。"),
        ],
        grades=[GradeSpec("推荐", Decimal(80)), GradeSpec("可考虑", Decimal(60)), GradeSpec("不推荐", Decimal(0))],
    ),
    RubricSpec(
        name="三型党建项目考评验收标准（一听二看三查四问）",
        purpose=Purpose.ACCEPTANCE,
        description="考评验收按“一听、二看、三查、四问”四个环节打分。",
        criteria=[
            points("一听", 25, "听取项目负责人汇报：目标完成情况、主要做法和成效。"),
            points("二看", 25, "察看现场和资料：阵地、活动照片和成果材料。"),
            points("三查", 25, "查阅台账记录，按清单逐项核对。"),
            points("四问", 25, "走访党员群众，结合满意度调查结果。"),
        ],
        grades=STANDARD_GRADES,
    ),
    RubricSpec(
        name="项目初期评估标准（专项管理经费）",
        purpose=Purpose.INITIAL_ASSESSMENT,
        description=(
            "项目启动后进行初期评估，按评估等级定向支持专项管理经费。"
            "各项先选档次，再在档内定系数：得分 = 系数 × 分值，取整数。"
        ),
        criteria=[
            CriterionSpec("项目基础", Decimal(40), "前期调研、群众需求和工作基础。", COEFFICIENTS),
            CriterionSpec("方案完备", Decimal(30), "实施方案、五定和进度安排。", COEFFICIENTS),
            CriterionSpec("资源投入", Decimal(30), "本单位和共建单位投入的人力、物力。", COEFFICIENTS),
        ],
        grades=STANDARD_GRADES,
        whole_numbers=True,
        aggregation=Aggregation.TRIMMED_PER_CRITERION,
    ),
    RubricSpec(
        name="年度展评评审标准",
        purpose=Purpose.SHOWCASE,
        description="每年七一前后的展评，评委打分去掉一个最高分和一个最低分；优秀不超过参评项目的 50%。",
        criteria=[
            points("实际成效", 30, "破解难题、建立制度、形成品牌的实际成果。"),
            points("创新特色", 20, "做法新颖，特色鲜明。"),
            points("群众满意", 30, "群众评价和满意度。"),
            points("推广价值", 20, "可复制、可推广，形成长效机制。"),
        ],
        grades=STANDARD_GRADES,
        aggregation=Aggregation.TRIMMED,
        top_grade_quota=50,
    ),
]


def load(stdout: Any = None) -> None:
    created = 0
    for committee, username in ((xinqiao(), "admin"), (district(), "district"), (second_town(), "sjadmin")):
        admin = User.objects.filter(username=username).first()
        if committee is None or admin is None:
            continue
        for spec in RUBRICS:
            if not Rubric.objects.filter(organization=committee, name=spec.name).exists():
                rubric_create(organization=committee, spec=spec, actor=admin)
                created += 1
    if stdout is not None:
        stdout.write(f"rubrics: {created} created, {Rubric.objects.count()} in all")
