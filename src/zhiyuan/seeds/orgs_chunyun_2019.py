"""Organisations named in seed 000: 郑州市文明办's 2019 春运 notice (温暖回乡路，共铸留守情).

Names are written as the notice writes them, with its stray spaces dropped. Where the notice spells one
body two ways (attachment 1 vs attachment 5), the other spelling is kept as an alias so that later
loaders (the rotation of attachment 5) can find the same organisation.
"""

CITY_OFFICE = {
    "name": "郑州市文明办",
    "kind": "office",
    "address": "伊河大厦1301室",
    "email": "zzszyfwc@126.com",
    "phone": "0371-67186891",
    "description": "市文明办志愿服务QQ群248835005",
}

# The notice's contact for all submissions (section 五(二)); its phone carries no area code, 郑州 is 0371.
CITY_OFFICE_CONTACT = {"category": "liaison", "name": "王红彬", "office_phone": "0371-67186891"}

# (name, aliases): the district / zone offices of attachments 1 and 5.
DISTRICT_OFFICES = [
    ("中原区文明办", ["中原区"]),
    ("金水区文明办", ["金水区"]),
    ("二七区文明办", ["二七区"]),
    ("管城区文明办", ["管城区"]),
    ("火车站地区文明办", ["火车站地区"]),
    ("郑东新区文明办", ["郑东新区"]),
    ("惠济区文明办", ["惠济区"]),
    ("高新区文明办", ["高新区"]),
    ("经开区文明办", ["经开区"]),
    ("航空港区文明办", ["航空港区"]),
    # attachment 5, note 2: these arrange their own concentrated service around local transport hubs
    ("上街区文明办", ["上街"]),
    ("新郑市文明办", ["新郑"]),
    ("新密市文明办", ["新密"]),
    ("荥阳市文明办", ["荥阳"]),
    ("登封市文明办", ["登封"]),
    ("中牟县文明办", ["中牟"]),
    ("巩义市文明办", ["巩义"]),
    # addressed and made responsible in sections 三(一)2 and 五
    ("市直文明办", []),
]

# 主管单位: municipal agencies that lead a 支队 or carry a task in the notice.
AGENCIES = [
    "市妇联",
    "市消防支队",
    "市总工会",
    "团市委",
    "市公安局",
    "市交运委",
    "市园林局",
    "市民政局",
    "市科协",
    "市科技局",
    "市教育局",
    "市国资委",
    "市司法局",
    "市红十字会",
    "市卫计委",
    "市体育局",
    "市文广新局",
    "市环保局",
    "市委组织部",
    "市建委",
    "市人社局",
    "市文物局",
    "市林业局",
    "市文联",
    "市邮政局",
]

# Media, carriers and the bank named as responsible units (sections 三(一)3 and 三(二)1).
UNITS = [
    "郑州日报",
    "郑州晚报",
    "郑州电视台",
    "郑州人民广播电台",
    "中原网",
    "中国文明网郑州站",
    "“志愿郑州”网站",
    "中国联合网络通信有限公司郑州分公司",
    "中国移动通信集团河南有限公司郑州分公司",
    "中国电信集团公司河南省郑州市电信分公司",
    "郑州银行",
]

# (name, parent agency, co-agencies, aliases): attachment 1's 支队 and the party-member emergency 支队.
BRIGADES = [
    ("巾帼志愿服务支队", "市妇联", [], ["巾帼志愿服务队"]),
    ("消防志愿服务支队", "市消防支队", [], []),
    ("职工志愿服务支队", "市总工会", [], []),
    ("青年志愿服务支队", "团市委", [], ["青年志愿服务队"]),
    ("社会治安志愿服务支队", "市公安局", [], []),
    ("交通运输志愿服务支队", "市交运委", [], []),
    ("园林志愿服务支队", "市园林局", [], []),
    ("慈善帮扶、为老志愿服务支队", "市民政局", [], ["慈善帮扶、为老志愿服务队"]),
    ("科普志愿服务支队", "市科协", ["市科技局"], []),
    ("教育志愿服务支队", "市教育局", [], []),
    ("企业志愿服务支队", "市国资委", [], []),
    ("法律援助志愿服务支队", "市司法局", [], []),
    ("人道救助志愿服务支队", "市红十字会", [], ["人道援助志愿服务支队"]),
    ("医疗卫生志愿服务支队", "市卫计委", [], ["医疗卫生志愿服务队"]),
    ("全民健身志愿服务支队", "市体育局", [], ["全民健身志愿服务队"]),
    ("文化志愿服务支队", "市文广新局", [], ["文化志愿服务队"]),
    ("环保志愿服务支队", "市环保局", [], []),
    ("郑州市党员志愿服务支队", "市委组织部", [], ["党员志愿服务支队"]),
]
