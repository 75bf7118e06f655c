"""Similar-need candidates by whole words of the committee's open needs (PostgreSQL).

`needs_need_terms(organization_id, tokens)` turns a need's stored words into `<committee>:<word>` terms, and
a GIN index over the open needs holds them, so a lookup reads the posting lists of a few of its words in
its own committee and fetches only the needs that hold one: never the table, never another town's needs.
It replaces the trigram index on the tokens, which matched a word in every town and every status.
SQLite has no such index; the lookup matches words with LIKE there.

It also takes loose words out of the shipped synonym groups (a character such as 件 or 沟 inside 文件 or
沟通, a generic word such as 方便 or 设备), in the groups staff have left as shipped.
"""

from django.db import migrations

OPEN = "('received', 'accepted', 'planned')"

FUNCTION = """
CREATE OR REPLACE FUNCTION needs_need_terms(organization bigint, tokens text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT string_to_array(
    organization::text || ':' || replace(btrim(tokens), ' ', ' ' || organization::text || ':'), ' '
) $$
"""


# Shipped group → the same group without its loose words.
PRUNED = [
    (
        "僵尸车 废弃车辆 报废汽车 旧车 积灰 落满灰 长期不开 常年停着 不动",
        "僵尸车 废弃车辆 报废汽车 旧车 积灰 落满灰 长期不开 常年停着",
    ),
    ("探访 上门 看看 问候 敲门 关爱 照看 上门看看", "探访 上门 问候 敲门 关爱 照看 上门看看"),
    ("无障碍 坡道 台阶 轮椅 无障碍通道 推车 抬", "无障碍 坡道 台阶 轮椅 无障碍通道 推车"),
    ("书屋 阅览室 阅读室 图书室 图书 书籍 藏书 新书 读物 书", "书屋 阅览室 阅读室 图书室 图书 书籍 藏书 新书 读物"),
    ("噪音 吵 扰民 轰鸣 吵闹 太吵 声音 睡不着 无法入睡 音量", "噪音 吵 扰民 轰鸣 吵闹 太吵 睡不着 无法入睡 音量"),
    ("施工 工地 打桩 机器 在建", "施工 工地 打桩 在建"),
    ("路灯 照明 灯 黑 天黑 伸手不见五指 黑漆漆 光", "路灯 照明 灯 黑 天黑 伸手不见五指 黑漆漆"),
    ("快递 包裹 网购 驿站 代收点 丢件 收发 件", "快递 包裹 网购 驿站 代收点 丢件 收发"),
    (
        "摊贩 摆摊 小贩 占道 占道经营 马路菜场 三轮车 流动摊贩 摊",
        "摊贩 摆摊 小贩 占道 占道经营 马路菜场 三轮车 流动摊贩 地摊 摊位 摊点",
    ),
    (
        "健身 健身苑 健身器材 运动器材 运动器械 健身点 锻炼 体育器械 健身角 单杠 漫步机 "
        "设备 器材 器械 运动 健身场地 锻炼设施",
        "健身 健身苑 健身器材 运动器材 运动器械 健身点 锻炼 体育器械 健身角 单杠 漫步机 器材 器械 运动 "
        "健身场地 锻炼设施",
    ),
    ("晾晒 晾衣 晒被子 晾被子 晾衣场地 晾 晒 棉被 床单 衣物", "晾晒 晾衣 晒被子 晾被子 晾衣场地 晾 棉被 床单 衣物"),
    ("污水 脏水 排水沟 沟渠 沟 纳管 污水管道 排水", "污水 脏水 排水沟 沟渠 纳管 污水管道 排水"),
    (
        "困难 困难家庭 低保 低保户 贫困户 救济 救助 帮扶 日子过不下去 生活困难 失业",
        "困难家庭 低保 低保户 贫困户 救济 救助 帮扶 日子过不下去 生活困难 失业",
    ),
    ("厕所 公厕 卫生间 如厕 方便", "厕所 公厕 卫生间 如厕"),
]


def prune_synonyms(apps, schema_editor):
    group = apps.get_model("needs", "SynonymGroup")
    for shipped, pruned in PRUNED:
        group.objects.filter(words=shipped).update(words=pruned)


def restore_synonyms(apps, schema_editor):
    group = apps.get_model("needs", "SynonymGroup")
    for shipped, pruned in PRUNED:
        group.objects.filter(words=pruned).update(words=shipped)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS needs_need_open_terms ON needs_need "
        f"USING gin (needs_need_terms(organization_id, tokens)) WHERE status IN {OPEN}"
    )
    schema_editor.execute("DROP INDEX IF EXISTS needs_need_tokens_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS needs_need_open_terms")
    schema_editor.execute("DROP FUNCTION IF EXISTS needs_need_terms(bigint, text)")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS needs_need_tokens_trgm ON needs_need USING gin (tokens gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("needs", "0003_need_support_count")]

    operations = [migrations.RunPython(create, drop), migrations.RunPython(prune_synonyms, restore_synonyms)]
