"""Bad input fails with a message naming the option, and nothing is written (one playbook per table).

Each case runs in a block whose rescue asserts the failure message; a case that does not fail hits a
`fail` task inside the block, which the rescue's assertion rejects. Cases marked local must fail before
any request at all; the others may read (e.g. the SIP list) but never write.
"""

from __future__ import annotations

import json

import pytest

from conftest import output_tail, run_playbook

OWNED = "442037691880"
TOO_BIG = 10 * 1024 * 1024 + 1

# (module, arguments, text the failure message must contain)
LOCAL_CASES = [
    ("zadarma_number", dict(number="abc"), "number: 'abc' is not a phone number"),
    ("zadarma_number", dict(number="12345"), "number: '12345' is not a phone number"),
    ("zadarma_number", dict(number="+49 30 1234 5678 9012 345"), "number: "),
    ("zadarma_number", dict(number="4930１２３４５６７"), "number: "),
    ("zadarma_number", dict(number=OWNED, sip_id="12345678"), "sip_id: '12345678' is neither"),
    ("zadarma_number", dict(number=OWNED, sip_id="pbx@"), "sip_id: 'pbx@' is neither"),
    ("zadarma_number", dict(number=OWNED, sip_id="pbx@sip.example.com:99999"), "sip_id: "),
    ("zadarma_number", dict(number=OWNED, caller_name="x" * 31), "caller_name: "),
    ("zadarma_number", dict(number=OWNED, caller_name="Müller GmbH"), "caller_name: 'Müller GmbH' must be"),
    ("zadarma_number", dict(number=OWNED, caller_name="Sales\n"), "caller_name: "),
    ("zadarma_number", dict(number=OWNED, paid_until="2027-02-30"), "paid_until: '2027-02-30' is not a date"),
    ("zadarma_number", dict(number=OWNED, paid_until="next month"), "paid_until: 'next month' is not a date"),
    ("zadarma_number", dict(number=OWNED, channels=0), "channels: must be 1 or more incoming channels, not 0"),
    ("zadarma_number", dict(number=OWNED, channels="2.5"), "channels"),
    ("zadarma_number", dict(number=OWNED, receive_sms="sometimes"), "receive_sms"),
    ("zadarma_number", dict(number=OWNED, state="absent", receive_sms=False), "state: absent lets the number lapse"),
    ("zadarma_number", dict(number=OWNED, period="week"), "period must be one of"),
    ("zadarma_number", dict(number=OWNED, autorenew_period="decade"), "autorenew_period must be one of"),
    ("zadarma_number", dict(number=OWNED, max_monthly_fee=-1), "max_monthly_fee: must not be negative"),
    ("zadarma_number", dict(number=OWNED, max_connect_fee="cheap"), "max_connect_fee"),
    ("zadarma_number", dict(number=OWNED, direction_id=0), "direction_id: must be a positive"),
    ("zadarma_number", dict(number=OWNED, direction_id=3766, country="Germany"), "country: 'Germany' is not an ISO"),
    ("zadarma_number", dict(number=OWNED, state="absent", sip_id="00001"), "state: absent lets the number lapse"),
    ("zadarma_number", dict(number=OWNED, state="gone"), "state must be one of"),
    ("zadarma_number", dict(number=OWNED, test_mode="maybe"), "test_mode"),
    ("zadarma_number", dict(number=OWNED, colour="red"), "Unsupported parameters"),
    ("zadarma_number", dict(number=OWNED, api_url="http://api.example.com"), "api_url: plain http is only allowed"),
    ("zadarma_number", dict(number=OWNED, api_url="ftp://127.0.0.1"), "api_url: must be scheme://host[:port]"),
    ("zadarma_number", dict(number=OWNED, api_url="http://evil.example\\@127.0.0.1"), "api_url: user information"),
    ("zadarma_number", dict(number=OWNED, api_url="http://evil.example\\.127.0.0.1"), "api_url: backslashes"),
    ("zadarma_number", dict(number=OWNED, api_url="https://api.zadarma.com", validate_certs=False),
     "validate_certs: false is only allowed for a loopback api_url"),
    ("zadarma_number_info", dict(timeout=0), "timeout: must be a number of seconds above 0"),
    ("zadarma_document_file", dict(document_type="passport", path="{{ files }}/passport.bin"),
     "is named .bin but its content is PDF"),
    ("zadarma_numbers", dict(numbers=[dict(number=OWNED), dict(number="+44 20 3769 1880")]),
     "numbers[1].number: 442037691880 is already listed at numbers[0]"),
    ("zadarma_numbers", dict(numbers=[dict(sip_id="00001")]), "numbers[0].number: give the number, or direction_id"),
    ("zadarma_numbers", dict(numbers=[dict(direction_id=13755)]), "numbers[0].sip_id: without an exact number"),
    ("zadarma_numbers", dict(numbers=[dict(number=OWNED, caller_name="Ümlaut")]), "numbers[0].caller_name: "),
    ("zadarma_numbers", dict(numbers=[dict(number=OWNED, paid_until="31.12.2027")]), "numbers[0].paid_until: "),
    ("zadarma_numbers", dict(numbers=[dict(number=OWNED, channels=-2)]), "numbers[0].channels: must be 1 or more"),
    ("zadarma_numbers", dict(numbers=[dict(number=OWNED, receive_sms="maybe")]), "receive_sms"),
    ("zadarma_numbers", dict(numbers=[dict(number=OWNED, period="week")]), "period must be one of: month, 3month, got: week found in numbers"),
    ("zadarma_numbers", dict(numbers=[dict(numbr=OWNED)]), "module: numbers.numbr"),
    ("zadarma_number_info", dict(number="12"), "number: '12' is not a phone number"),
    ("zadarma_number_info", dict(country="DEU"), "country: 'DEU' is not an ISO"),
    ("zadarma_number_info", dict(mask="4930"), "mask: only applies to direction_id"),
    ("zadarma_number_info", dict(number=OWNED, country="DE"), "mutually exclusive: number|country"),
    ("zadarma_document_group", dict(group_id=0, email="not-an-email"), "email"),
    ("zadarma_document_group", dict(group_id=0, country="Deutschland"), "country"),
    ("zadarma_document_group", dict(group_id=0, nationality="XX"), "nationality"),
    ("zadarma_document_group", dict(group_id=0, date_of_birth="1980-13-01"), "date_of_birth"),
    ("zadarma_document_group", dict(group_id=0, issuing_date="yesterday"), "issuing_date"),
    ("zadarma_document_group", dict(group_id=0, salutation="DR"), "salutation must be one of"),
    ("zadarma_document_group", dict(group_id=0, type_of_id="ID"), "type_of_id must be one of"),
    ("zadarma_document_group", dict(email="only@example.com"), "required"),
    ("zadarma_document_file", dict(document_type="passport", path="{{ files }}/missing.pdf"), "path"),
    ("zadarma_document_file", dict(document_type="passport", path="{{ files }}"), "path"),
    ("zadarma_document_file", dict(document_type="passport", path="{{ files }}/empty.pdf"), "path"),
    ("zadarma_document_file", dict(document_type="passport", path="{{ files }}/big.pdf"), "path"),
    ("zadarma_document_file", dict(document_type="passport", path="{{ files }}/notes.pdf"), "path"),
    ("zadarma_document_file", dict(document_type="selfie", path="{{ files }}/passport.pdf"), "document_type must be one of"),
    ("zadarma_document_file", dict(group_id=-1, document_type="passport", path="{{ files }}/passport.pdf"), "group_id"),
]

# These need a read (the SIP list, the destinations, the available numbers) but must not write.
REMOTE_CASES = [
    ("zadarma_number", dict(number=OWNED, sip_id="99999"), "sip_id: SIP id 99999 is not a SIP of this account"),
    ("zadarma_number", dict(number="442099999999", direction_id=13755, country="GB"),
     "number: 442099999999 is not available to order in destination 13755"),
    ("zadarma_number", dict(number="442030000001", direction_id=13755, country="GB", max_monthly_fee=1),
     "max_monthly_fee: the monthly fee of London is 2.00 USD, above the limit of 1.00"),
    ("zadarma_number", dict(number="49301000000", direction_id=3766, country="DE"),
     "documents_group_id: documents group 0 does not satisfy destination 3766 (Berlin): documents not uploaded (passport)"),
    ("zadarma_number", dict(number="442030000001", direction_id=99), "direction_id: destination 99 was not found"),
    ("zadarma_number", dict(number="4930999999"), "number: 4930999999 is not owned by this account, and there is no direction_id"),
    ("zadarma_number_info", dict(number="4930999999"), "number: 4930999999 is not owned by this account"),
    ("zadarma_number", dict(number=OWNED, sip_id="00002", receive_sms=True),
     "receive_sms: 442037691880 cannot receive SMS: the API reports no SMS for it"),
    ("zadarma_number", dict(number="442030000001", direction_id=13755, country="GB", sip_id="00001", receive_sms=True),
     "receive_sms: numbers of London (13755) cannot receive SMS; nothing is ordered"),
]


def case_block(index, module, args, expected):
    return {
        "name": "Case %d: %s %s" % (index, module, json.dumps(args)[:80]),
        "block": [
            {"name": "Run the case", "zadarma.telephony." + module: args},
            {"name": "The case should have failed", "ansible.builtin.fail": {"msg": "NO FAILURE"}},
        ],
        "rescue": [{
            "name": "The failure names the option",
            "ansible.builtin.assert": {
                "that": ["ansible_failed_result.msg is search(expected, ignorecase=false)",
                         "ansible_failed_result.msg != 'NO FAILURE'"],
                "fail_msg": "case %d: expected %r in {{ ansible_failed_result.msg }}" % (index, expected),
            },
            "vars": {"expected": _regex_escape(expected)},
        }],
    }


def _regex_escape(text):
    return "".join("\\" + ch if ch in ".^$*+?{}[]()|\\" else ch for ch in text)


def make_files(directory):
    (directory / "passport.pdf").write_bytes(b"%PDF-1.4\n% test\n")
    (directory / "passport.bin").write_bytes(b"%PDF-1.4\n% test\n")
    (directory / "empty.pdf").write_bytes(b"")
    (directory / "notes.pdf").write_text("not a pdf, just text\n")
    with open(directory / "big.pdf", "wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(TOO_BIG)


@pytest.mark.parametrize("cases, local", [(LOCAL_CASES, True), (REMOTE_CASES, False)], ids=["local", "remote"])
def test_bad_input_fails_naming_the_option_and_writes_nothing(cases, local, simulator, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    make_files(files)
    tasks = [case_block(i, module, args, expected) for i, (module, args, expected) in enumerate(cases)]
    path = tmp_path / "playbook.yml"
    path.write_text(json.dumps([{"name": "Bad input", "hosts": "localhost", "gather_facts": False,
                                 "vars": {"files": str(files)}, "tasks": tasks}]))

    rc, output = run_playbook(path, simulator, verbosity=1)

    assert rc == 0, output_tail(output, 80)
    assert output.count("The failure names the option") >= len(cases)
    assert simulator.writes() == []
    if local:
        assert simulator.log() == [], "bad input reached the API: %s" % simulator.log()[:3]


def test_the_table_is_large_enough():
    assert len(LOCAL_CASES) + len(REMOTE_CASES) >= 40


# Roles: every host below is wrong in one way; each must fail alone, naming the variable, and nothing is written.
ROUTING_HOSTS = {
    "r_number": ([dict(number="abc", sip_id="00001")], "number: 'abc' is not a phone number"),
    "r_sip": ([dict(number="442030000101", sip_id="pbx@")], "sip_id: 'pbx@' is neither"),
    "r_caller": ([dict(number="442030000102", caller_name="Ünicode")], "caller_name: 'Ünicode' must be"),
    "r_date": ([dict(number="442030000103", paid_until="2027-02-30")], "paid_until: '2027-02-30' is not a date"),
    "r_no_number": ([dict(sip_id="00001")], "missing required arguments: number"),
    "r_unknown": ([dict(number="442030000104", colour="red")], "colour"),
    "r_bool": ([dict(number="442030000105", test_mode="maybe")], "test_mode"),
    "r_not_owned": ([dict(number="442030000106", sip_id="00001")], "number: 442030000106 is not owned by this account"),
    "r_channels": ([dict(number="442030000107", channels=0)], "channels: must be 1 or more incoming channels"),
    "r_sms_type": ([dict(number="442030000108", receive_sms="sometimes")], "receive_sms"),
    "r_sms_none": ([dict(number="442037691880", receive_sms=True)], "receive_sms: 442037691880 cannot receive SMS"),
}
ORDERING_HOSTS = {
    "o_country": (dict(number_order_country="Germany"), "country: 'GERMANY' is not an ISO 3166-1 alpha-2"),
    "o_destination": (dict(number_order_destination="Atlantis"), "Atlantis is not a destination of GB"),
    "o_negative_guard": (dict(number_order_max_monthly_fee=-1), "number_order_max_monthly_fee: must not be negative"),
    "o_text_guard": (dict(number_order_max_connect_fee="cheap"), "number_order_max_connect_fee"),
    "o_sip": (dict(number_order_sip_id="pbx@"), "number_order_sip_id: 'pbx@' is neither"),
    "o_period": (dict(number_order_period="week"), "number_order_period must be one of"),
    "o_file": (dict(number_order_documents=[dict(path="missing.pdf", document_type="passport")]),
               "document file(s) not found"),
    "o_no_target": (dict(number_order_sip_id=None), "number_order_sip_id: not set, nor number_order_number"),
    "o_caller": (dict(number_order_caller_name="x" * 31), "number_order_caller_name: "),
    "o_guard": (dict(number_order_max_monthly_fee=1), "number_order_max_monthly_fee: the monthly fee of London is 2.00"),
    "o_sms": (dict(number_order_receive_sms=True, number_order_sip_id="desk@pbx.example.com"),
              "number_order_receive_sms: numbers of London (13755) cannot receive SMS"),
}


@pytest.mark.parametrize("role", ["number_routing", "number_order"])
def test_bad_role_input_fails_only_that_host_naming_the_variable(role, simulator, tmp_path):
    if role == "number_routing":
        hosts = dict((name, {"zadarma_numbers": numbers}) for name, (numbers, _text) in ROUTING_HOSTS.items())
        expected = dict((name, text) for name, (_numbers, text) in ROUTING_HOSTS.items())
    else:
        base = dict(number_order_country="GB", number_order_destination="London", number_order_sip_id="00002")
        hosts = dict((name, dict(base, **changes)) for name, (changes, _text) in ORDERING_HOSTS.items())
        expected = dict((name, text) for name, (_changes, text) in ORDERING_HOSTS.items())
    path = tmp_path / "role.yml"
    path.write_text(json.dumps([{"name": "Bad role input", "hosts": "all", "gather_facts": False,
                                 "roles": ["zadarma.telephony." + role]}]))

    rc, output = run_playbook(path, simulator, inventory={"all": {"hosts": hosts}}, verbosity=1)

    assert rc != 0
    lines = output.splitlines()
    for host, text in expected.items():
        starts = [index for index, line in enumerate(lines) if line.startswith("fatal: [%s]" % host)]
        # The failure as shown: one line, or (a role's report) a block from "... => {" to its closing "}".
        end = starts and (lines.index("}", starts[0]) if lines[starts[0]].endswith("{") else starts[0])
        shown = "\n".join(lines[starts[0]:end + 1]) if starts else ""
        assert text in shown, "%s: expected %r in %s" % (host, text, shown or output_tail(output, 60))
    assert simulator.writes() == []


def test_the_role_tables_count_towards_the_forty():
    assert len(LOCAL_CASES) + len(REMOTE_CASES) + len(ROUTING_HOSTS) + len(ORDERING_HOSTS) >= 40
