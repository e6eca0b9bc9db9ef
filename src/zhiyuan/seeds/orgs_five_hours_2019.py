"""Organisations and people named in seed 001: IT产业园社区服务中心's “人人都是志愿者 每周奉献五小时”.

The centre sits in 航空港区, so its subtree hangs under 航空港区文明办. The doc pads two-character names
with spaces ("蔡   莉"); they are dropped.
"""

CENTRE = "郑州航空港经济综合实验区IT产业园社区服务中心"
CENTRE_ALIASES = ["IT产业园社区服务中心", "航空港经济综合实验区IT产业园社区服务中心"]
CENTRE_PARENT = "航空港区文明办"

DEPARTMENTS = ["党政办", "党建办", "社会事业部", "综治办", "安监办", "文宣办", "卫计办", "工会办", "纪检办"]

SQUADRON = "郑州航空港经济综合实验区IT产业园社区服务中心志愿服务中队"

# The squadron's leadership (section 二): (name, role, 职务).
SQUADRON_PEOPLE = [
    ("王继跃", "squadron_leader", "党工委书记"),
    ("周现青", "deputy_squadron_leader", "党工委副书记、主任"),
    ("张冬亮", "deputy_squadron_leader", "党工委副书记"),
    ("孙红军", "deputy_squadron_leader", "纪工委书记"),
    ("王向阳", "deputy_squadron_leader", "党工委委员、副主任"),
    ("冉德印", "deputy_squadron_leader", "党工委委员、工会主席"),
    ("罗宏伟", "deputy_squadron_leader", "副主任"),
    ("蔡莉", "deputy_squadron_leader", "副主任"),
    ("李俊伟", "deputy_squadron_leader", "副主任"),
    ("张伟", "deputy_squadron_leader", "主任助理"),
    ("张冬亮", "office_director", "党工委副书记（兼任办公室主任）"),
    ("闫国坡", "office_deputy", "办公室副主任"),
    ("刘洋洋", "office_deputy", "办公室副主任"),
]

# “四个重点”: (name, lead departments (first is the 主管单位), what the team does).
KEY_TEAMS = [
    (
        "“小红象”志愿服务队",
        ["综治办", "安监办"],
        "四个重点：第十一届全国少数民族传统体育运动会志愿服务；信息咨询、文明引导、群防群治、应急救援。牵头单位：综治办、安监办、各工作站",
    ),
    (
        "“绿城啄木鸟”志愿服务队",
        ["社会事业部"],
        "四个重点：城市精细化管理；法律法规宣讲、设施谏言、不文明行为劝阻、垃圾分类引导、清洁家园。牵头单位：社会事业部、各工作站",
    ),
    (
        "“红绿灯”文明交通志愿服务队",
        ["纪检办", "工会办"],
        "四个重点：城市交通秩序治理；文明交通宣传、引导、劝阻，“礼让斑马线”“交通违法随手拍”。牵头单位：纪检办、工会办、各工作站",
    ),
    (
        "“春雨行动”文化旅游志愿服务队",
        ["党政办", "文宣办"],
        "四个重点：城市文化旅游宣传引导；公共文化场所、景区景点、宾馆饭店文化旅游志愿服务。牵头单位：党政办、文宣办、各工作站",
    ),
]

_PREFIX = "IT产业园社区服务中心"

# “N线并进”: each department leads its professional teams. The doc writes the centre's name once per
# sentence; every team carries it.
DEPARTMENT_TEAMS = [
    (_PREFIX + "青年学雷锋志愿服务队", "党政办"),
    (_PREFIX + "文化旅游学雷锋志愿服务队", "党政办"),
    (_PREFIX + "党员学雷锋志愿服务队", "党建办"),
    (_PREFIX + "园区环境整治学雷锋志愿服务队", "社会事业部"),
    (_PREFIX + "慈善学雷锋志愿服务队", "社会事业部"),
    (_PREFIX + "平安学雷锋志愿者服务队", "综治办"),
    (_PREFIX + "应急管理学雷锋志愿服务队", "安监办"),
    (_PREFIX + "理论宣讲学雷锋志愿服务队", "文宣办"),
    (_PREFIX + "巾帼学雷锋志愿服务队", "卫计办"),
    (_PREFIX + "“绿城妈妈”志愿者服务队", "卫计办"),
    (_PREFIX + "职工学雷锋志愿服务队", "工会办"),
    (_PREFIX + "全民健身学雷锋志愿服务队", "工会办"),
]
