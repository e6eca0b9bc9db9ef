"""Seed 001 as a campaign: “人人都是志愿者 每周奉献五小时”, run weekly from the end of July 2019."""

from datetime import date

SLUG = "five-hours-2019"
CAMPAIGN = {
    "title": "“人人都是志愿者 每周奉献五小时”志愿服务行动",
    "theme": "人人都是志愿者 每周奉献五小时",
    "anchor": "calendar",
    "starts_on": date(2019, 7, 26),
    "ends_on": date(2019, 12, 31),
    "description": "郑港社〔2019〕23号。每名志愿者每周服务时长不少于5小时；各工作站7月底前按“六有一落实”标准完善志愿服务站；"
    "8月2日前报队伍名单，每天15:30前报简报，每周五15:00前报本周总结及下周计划。",
}
PHASES = [("implement", "常态化运行", date(2019, 7, 26), date(2019, 12, 31))]
PROGRAMMES = [
    ("四个重点", "四支重点志愿服务队", "key_teams"),
    ("N线并进", "各科室牵头组建的专业志愿服务队", "department_teams"),
]
STANDARD_DUE = date(2019, 7, 31)
