"""One public base address (ZHIYUAN_SITE_URL) for every absolute link the system prints or sends."""

from zhiyuan.core.site import absolute_url
from zhiyuan.hours.services.certificates import verification_url


def test_absolute_url_uses_the_configured_site(settings):
    settings.ZHIYUAN_SITE_URL = "https://zy.example.cn/"
    assert absolute_url("/verify/ZM2026-1/") == "https://zy.example.cn/verify/ZM2026-1/"
    assert absolute_url("app/scan/") == "https://zy.example.cn/app/scan/"
    assert absolute_url("") == ""
    assert absolute_url("https://other.example/x") == "https://other.example/x"


def test_certificate_links_follow_the_site_setting_not_a_second_one(settings):
    settings.ZHIYUAN_SITE_URL = "https://zy.example.cn"
    settings.ZHIYUAN_PUBLIC_URL = "http://wrong.example"  # the old, never-defined name is ignored
    assert verification_url("ZM2026-000001") == "https://zy.example.cn/verify/ZM2026-000001/"


def test_holder_names_are_masked_to_first_and_last_character():
    from zhiyuan.hours.services.certificates import holder_masked

    assert [holder_masked(n) for n in ("王继跃", "王五", "欧阳娜娜", "李")] == [
        "王*跃",
        "王*",
        "欧**娜",
        "李",
    ]
