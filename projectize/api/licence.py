"""The licence open data is published under: stable, stated in every open-data answer."""

from django.conf import settings

LICENCE = getattr(
    settings,
    "OPEN_DATA_LICENCE",
    {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "statement": (
            "本数据依据知识共享署名 4.0 国际许可协议公开，使用时请注明来源：党建项目化管理平台。"
            " Published under the Creative Commons Attribution 4.0 International licence;"
            " credit the Party-building project management platform."
        ),
    },
)
