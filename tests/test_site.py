from zhiyuan.core.site import absolute_url


def test_a_path_becomes_a_link_on_the_configured_site(settings):
    settings.ZHIYUAN_SITE_URL = "https://zhiyuan.example.cn/"
    assert absolute_url("/app/inbox/") == "https://zhiyuan.example.cn/app/inbox/"
    assert absolute_url("app/inbox/") == "https://zhiyuan.example.cn/app/inbox/"


def test_an_absolute_link_or_nothing_is_left_alone(settings):
    settings.ZHIYUAN_SITE_URL = "https://zhiyuan.example.cn"
    assert absolute_url("https://other.example/x") == "https://other.example/x"
    assert absolute_url("") == ""
