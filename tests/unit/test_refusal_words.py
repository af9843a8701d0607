"""Refusals a service builds itself speak the site's language: they were English f-strings on a Chinese site."""

from __future__ import annotations

import pytest

from examops.domain.field_limits import FieldTooLong
from examops.i18n import spoken
from examops.services.report import ReportRefused, formats_of
from examops.services.seating import Shortage


def test_a_seat_shortage_is_said_in_chinese_with_the_command_to_type():
    shortage = Shortage({"isolation": 1, "backup": 2})
    assert spoken(shortage, "zh_CN") == ("备用考场缺 2 个座位；隔离考场缺 1 个座位。请增开考场：`examops room add ID --name NAME "
                                         "--capacity N --kind backup|isolation`")
    assert str(shortage) == ("2 seat(s) missing in backup rooms; 1 seat(s) missing in isolation rooms. Open another room: "
                             "`examops room add ID --name NAME --capacity N --kind backup|isolation`")


def test_an_unknown_report_format_is_refused_in_chinese():
    with pytest.raises(ReportRefused) as refused:
        formats_of("docx")
    assert spoken(refused.value, "zh_CN") == "没有格式 'docx'；请使用 xlsx, pdf, both 之一"
    assert str(refused.value) == "no format 'docx'; use one of xlsx, pdf, both"


@pytest.mark.parametrize(("name", "chinese"), [("lane", "通道名称"), ("staff", "安检员姓名"), ("device", "设备编号")])
def test_a_name_too_long_is_refused_in_chinese(name, chinese):
    too_long = FieldTooLong(name, "x" * 200)
    assert spoken(too_long, "zh_CN").startswith(f"{chinese}有 200 个字符，最多只能保存 {too_long.limit} 个")
