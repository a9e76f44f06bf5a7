#!/usr/bin/env python3
"""Write the fuzz targets' seed corpora and dictionaries from the code.

    python3 tests/fuzz/seeds.py

Run it again after adding a route, a body field or a config key: the
dictionaries take every route path (daemon/http/router.c), every JSON field name
the handlers decode (daemon/api_*.c) and every config key
(daemon/config.c); the router's seeds are one valid request per route
that takes a body, and a few more.  Placeholders ($p1, $t2...) are
explained in fuzz_ward.c.
"""
import glob
import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def read(path):
    with open(os.path.join(TOP, path)) as f:
        return f.read()


def routes():
    """(method, pattern) of every route in router.c."""
    src = read("daemon/http/router.c")
    return re.findall(r'\{\s*METHOD_(\w+),\s*"([^"]+)"', src)


def json_fields():
    """Every JSON field name a handler decodes."""
    names = set()
    for path in glob.glob(os.path.join(TOP, "daemon/api_*.c")):
        src = open(path).read()
        for m in re.finditer(r'fields\[\]\s*=\s*\{(.*?)\};', src, re.S):
            names.update(re.findall(r'"([^"]+)"', m.group(1)))
        for m in re.finditer(r'fields\[\]\[\d+\]\s*=\s*\{(.*?)\};', src,
                             re.S):
            names.update(re.findall(r'"([^"]+)"', m.group(1)))
        names.update(re.findall(r'json_in_\w+\(r,\s*[\w>-]+,\s*"([^"]+)"',
                                src))
        names.update(re.findall(r'json_object_get\(\s*(?:r->)?body,\s*"([^"]+)"',
                                src))
        names.update(re.findall(r'api_observation_int\(r,\s*"([^"]+)"', src))
    return sorted(names)


def query_names():
    names = set()
    for path in glob.glob(os.path.join(TOP, "daemon/*.c")):
        names.update(re.findall(r'request_query\(r,\s*"([^"]+)"',
                                open(path).read()))
    return sorted(names)


def config_keys():
    src = read("daemon/config.c")
    keys = re.findall(r'(?:INT_KEY|STR_KEY|GROUP_KEY|DATES_KEY)\("([^"]+)"',
                      src)
    keys += re.findall(r'\{\s*"([a-z_.]+)",\s*CONFIG_STRING', src)
    return sorted(set(keys))


# What a route's {} stands for, by the segment before it.
RECORD = {"staff": "$s2", "patients": "$p1", "alerts": "$a1",
          "products": "$x1", "prescriptions": "$r1", "doses": "$d1",
          "register": "$x1", "movements": "$m1"}


def concrete(pattern):
    """A route pattern with a demo record's placeholder for each {}."""
    segs = pattern.split("/")
    return "/".join(RECORD.get(segs[i - 1], "$u1") if seg == "{}" else seg
                    for i, seg in enumerate(segs))


def esc(s):
    """A dictionary entry: a quoted string, escaped as libFuzzer reads it."""
    out = []
    for ch in s.encode():
        if ch in (0x22, 0x5c) or ch < 0x20 or ch > 0x7e:
            out.append("\\x%02x" % ch)
        else:
            out.append(chr(ch))
    return '"' + "".join(out) + '"'


def write_dict(name, header, entries):
    seen = []
    for e in entries:
        if e not in seen:
            seen.append(e)
    with open(os.path.join(HERE, name), "w") as f:
        f.write(header)
        for e in seen:
            f.write(esc(e) + "\n")


def write_corpus(target, seeds):
    d = os.path.join(HERE, "corpus", target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in seeds:
        if isinstance(data, str):
            data = data.encode()
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


PLACEHOLDERS = (["$p%d" % i for i in (1, 2, 3)] +
                ["$s%d" % i for i in range(1, 9)] +
                ["$t%d" % i for i in range(1, 9)] +
                ["$x1", "$r1", "$r2", "$d1", "$d2", "$d3", "$a1", "$a2",
                 "$a3", "$m1", "$e1", "$u1"])

# Who may call what: staff placeholder numbers in demo order (admin 1,
# nina 2, carl 3, priya 4, rob 5, cara 6, dev 7, mo 8).
T = {"admin": "$t1", "nina": "$t2", "carl": "$t3", "priya": "$t4",
     "rob": "$t5", "cara": "$t6", "dev": "$t7", "mo": "$t8"}

WITNESS = '"witness":{"username":"carl","pin":"3333"}'
PHARM_WITNESS = '"witness":{"username":"nina","pin":"2222"}'

# (name, method, path, who, body): a valid request for every route with a
# body, in fuzz_json_body's order (its first byte is the index).
BODY_ROUTES = [
    ("session", "POST", "/v1/sessions", None,
     '{"username":"nina","pin":"2222"}'),
    ("staff_create", "POST", "/v1/staff", "admin",
     '{"username":"newnurse","display_name":"New Nurse",'
     '"roles":["nurse","competent"],"pin":"123456"}'),
    ("staff_update", "PATCH", "/v1/staff/$s2", "admin",
     '{"display_name":"Nina N.","roles":["nurse"],"active":true,'
     '"unlock":true}'),
    ("patient_create", "POST", "/v1/patients", "rob",
     '{"prison_number":"A1234BC","given_name":"Pat","family_name":"Test",'
     '"date_of_birth":"1990-01-31","arrived_at":"2026-11-23T16:00:00Z",'
     '"location":"WARD B, cell 4","stimulant_user":true,'
     '"community_treatment":{"drug":"methadone","dose":40,"unit":"ml",'
     '"prescriber":"Dr Community","last_dose_at":"2026-11-23T08:00:00Z"}}'),
    ("keyworker", "POST", "/v1/patients/$p#/keyworker", "cara",
     '{"username":"cara"}'),
    ("treatment_decision", "POST", "/v1/patients/$p#/treatment-decision",
     "dev", '{"continue":false,"reason":"not dependent"}'),
    ("observation_plan", "POST", "/v1/patients/$p2/observation-plan", "nina",
     '{"until":"2026-11-27T12:00:00Z"}'),
    ("flags", "POST", "/v1/patients/$p#/flags", "rob",
     '{"stimulant_user":true}'),
    ("alert_ack", "POST", "/v1/alerts/$a#/ack", "mo",
     '{"note":"seen, escalated to GP"}'),
    ("product_create", "POST", "/v1/products", "priya",
     '{"name":"Buprenorphine","form":"tablet","strength":"8 mg",'
     '"unit":"tablet"}'),
    ("prescription_create", "POST", "/v1/prescriptions", "dev",
     '{"patient_id":"$p2","product_id":"$x1","regimen":"reducing",'
     '"dose":30,"times":["08:00","18:00"],"every_days":1,'
     '"start_date":"2026-11-24","end_date":"2026-12-10",'
     '"steps":[{"from_date":"2026-11-28","dose":25.5}]}'),
    ("prescription_stop", "POST", "/v1/prescriptions/$r#/stop", "dev",
     '{"reason":"transferred out"}'),
    ("prescription_review", "POST", "/v1/prescriptions/$r#/review", "dev",
     '{"note":"reviewed, continue"}'),
    ("dose_administer", "POST", "/v1/doses/$d#/administer", "nina",
     '{%s,"note":"taken"}' % WITNESS),
    ("dose_refuse", "POST", "/v1/doses/$d#/refuse", "nina",
     '{"reason":"declined"}'),
    ("dose_withhold", "POST", "/v1/doses/$d#/withhold", "nina",
     '{"reason":"drowsy"}'),
    ("register_receipt", "POST", "/v1/register/$x#/receipts", "priya",
     '{"quantity":500,"supplier":"Pharmacy","reference":"INV-7",%s}'
     % PHARM_WITNESS),
    ("register_return", "POST", "/v1/register/$x#/returns", "priya",
     '{"quantity":10.5,"reason":"expired",%s}' % PHARM_WITNESS),
    ("register_destruction", "POST", "/v1/register/$x#/destructions",
     "priya", '{"quantity":0.125,"reason":"spilt",%s}' % PHARM_WITNESS),
    ("register_check", "POST", "/v1/register/$x#/checks", "nina",
     '{"counted":999.5,"witness":{"username":"priya","pin":"4444"}}'),
    ("register_correction", "POST", "/v1/register/$x#/corrections", "priya",
     '{"corrects_entry_id":"$e1","quantity_delta":-2,"reason":"miscount",'
     '%s}' % PHARM_WITNESS),
    ("observation", "POST", "/v1/observations", "nina",
     '{"patient_id":"$p2","taken_at":"2026-11-23T17:20:00Z",'
     '"respiratory_rate":18,"spo2":97,"spo2_scale":1,"on_oxygen":false,'
     '"systolic_bp":120,"pulse":80,"consciousness":"A",'
     '"temperature":37.1}'),
    ("movement_create", "POST", "/v1/movements", "rob",
     '{"patient_id":"$p3","kind":"release",'
     '"departs_at":"2026-11-24T09:00:00Z","destination":"HMP Exit",'
     '"follow_up":"CJIT appointment 25 Nov"}'),
    ("movement_depart", "POST", "/v1/movements/$m#/depart", "rob",
     '{"at":"2026-11-23T17:25:00Z"}'),
    ("movement_return", "POST", "/v1/movements/$m#/return", "rob",
     '{"at":"2026-11-23T17:29:00Z"}'),
    ("movement_cancel", "POST", "/v1/movements/$m#/cancel", "rob",
     '{"reason":"hearing adjourned"}'),
    ("test_clock", "POST", "/v1/test/clock", None,
     '{"advance_seconds":3600}'),
]


def request(method, path, who=None, body=None, key=None, extra=()):
    lines = ["%s %s" % (method, path)]
    if who:
        lines.append("Authorization: Bearer %s" % T[who])
    if key:
        lines.append("Idempotency-Key: %s" % key)
    lines += list(extra)
    if body is not None:
        lines.append("Content-Type: application/json")
    text = "\n".join(lines) + "\n"
    if body is not None:
        text += "\n" + body
    return text


def router_seeds():
    seeds = []
    for i, (name, method, path, who, body) in enumerate(BODY_ROUTES):
        p = re.sub(r"\$(.)#", r"$\g<1>1", path)
        key = "6f1d3c52-3a8e-4d8b-9a43-0d8c5b1c2e%02d" % i
        req = request(method, p, who, body, key)
        if name == "movement_return":   # it must have left first
            req = request("POST", "/v1/movements/$m1/depart", "rob",
                          '{"at":"2026-11-23T17:10:00Z"}') + "\n%%\n" + req
        seeds.append(("post_" + name, req))
    # The rest of the routes, read.
    gets = [
        ("health", "/v1/health", None, ()),
        ("staff_list", "/v1/staff", "admin", ()),
        ("staff_get", "/v1/staff/$s2", "admin", ()),
        ("patient_list", "/v1/patients?status=in_custody", "nina", ()),
        ("patient_get", "/v1/patients/$p1", "nina", ()),
        ("audit", "/v1/audit?after=0", "mo", ()),
        ("audit_verify", "/v1/audit/verify", "admin", ()),
        ("clocks", "/v1/clocks?state=running,breached", "mo", ()),
        ("alerts", "/v1/alerts?state=open&audience=ward", "nina", ()),
        ("stream", "/v1/alerts/stream", "nina", ("Last-Event-ID: 1",)),
        ("stream_query", "/v1/alerts/stream?last_event_id=0", "nina", ()),
        ("products", "/v1/products", "priya", ()),
        ("product_get", "/v1/products/$x1", "priya", ()),
        ("prescriptions", "/v1/prescriptions?patient_id=$p1", "dev", ()),
        ("prescription_get", "/v1/prescriptions/$r1", "dev", ()),
        ("doses", "/v1/doses?date=2026-11-23&state=due", "nina", ()),
        ("dose_get", "/v1/doses/$d1", "nina", ()),
        ("register", "/v1/register/$x1", "nina", ()),
        ("observations", "/v1/observations?patient_id=$p2", "nina", ()),
        ("observations_due", "/v1/observations/due", "carl", ()),
        ("report", "/v1/reports/observations?from=2026-11-20&to=2026-11-23",
         "mo", ()),
        ("report_csv", "/v1/reports/observations?from=2026-11-22&to=2026-11-23",
         "mo",
         ("Accept: text/csv",)),
        ("movements", "/v1/movements?status=planned", "rob", ()),
        ("movement_get", "/v1/movements/$m1", "rob", ()),
        ("summary", "/v1/movements/$m1/summary", "rob", ()),
        ("summary_text", "/v1/movements/$m1/summary", "rob",
         ("Accept: text/plain",)),
    ]
    for name, path, who, extra in gets:
        seeds.append(("get_" + name, request("GET", path, who,
                                              extra=extra)))
    seeds.append(("delete_session", request("DELETE", "/v1/sessions/current",
                                            "nina")))
    # Sequences: a replayed Idempotency-Key, a key reused with another
    # body, a dose given then given again, and time moved on then the
    # deadlines run.
    give = request("POST", "/v1/doses/$d1/administer", "nina",
                   '{%s}' % WITNESS,
                   "0b7e4d7e-8a51-4bde-9a3f-2a3c7c0f4f11")
    seeds.append(("seq_idempotent_replay", give + "\n%%\n" + give))
    seeds.append(("seq_idempotency_mismatch", give + "\n%%\n" + request(
        "POST", "/v1/doses/$d1/administer", "nina",
        '{"note":"again",%s}' % WITNESS,
        "0b7e4d7e-8a51-4bde-9a3f-2a3c7c0f4f11")))
    seeds.append(("seq_give_twice", request(
        "POST", "/v1/doses/$d2/administer", "nina", '{%s}' % WITNESS) +
        "\n%%\n" + request("POST", "/v1/doses/$d2/administer", "nina",
                           '{%s}' % WITNESS)))
    seeds.append(("seq_clock_tick", request(
        "POST", "/v1/test/clock", None, '{"now":"2026-11-23T17:58:00Z"}') +
        "\n%%\nTICK\n%%\n" + request("GET", "/v1/alerts?state=open", "mo")
        + "\n%%\n" + request("POST", "/v1/test/clock", None,
                              '{"advance_seconds":86400}') + "\n%%\nTICK\n"))
    seeds.append(("seq_sign_in_then_out", request(
        "POST", "/v1/sessions", None, '{"username":"carl","pin":"0000"}') +
        "\n%%\n" + request("DELETE", "/v1/sessions/current", "carl")))
    return seeds


def json_body_seeds():
    seeds = []
    for i, (name, method, path, who, body) in enumerate(BODY_ROUTES):
        m = re.search(r"\$.(\d)", path)
        digit = m.group(1) if m else "1"
        seeds.append((name, bytes([i, ord(digit)]) + body.encode()))
    return seeds


def sse_seeds():
    return [
        ("zero", "0"),
        ("one", "1"),
        ("big", "9223372036854775807"),
        ("query_only", "\nlast_event_id=2"),
        ("query_other", "\nstate=open&last_event_id=3"),
        ("query_encoded", "\nlast_event_id=%33"),
        ("empty_query", "\n"),
    ]


def config_seeds():
    seeds = []
    for path in sorted(glob.glob(os.path.join(TOP, "config/*.conf"))):
        seeds.append((os.path.basename(path), open(path).read()))
    seeds.append(("every_group", """
listen = { address = "::1"; port = 8471; };
sessions = { idle_minutes = 45; };
lockout = { failures = 3; minutes = 10; };
http = { max_connections = 64; max_body_bytes = 65536;
         max_header_bytes = 8192; timeout_seconds = 20; };
arrivals = { max_future_minutes = 10; max_past_days = 3; };
idempotency = { keep_hours = 24; };
calendar = { add = ["2027-06-07"]; remove = ["2027-05-03"]; };
clocks = { treatment_hours = 24; keyworker_hours = 24; warn_percent = 80; };
alerts = { escalate_warning_minutes = 20; escalate_urgent_minutes = 10;
           escalate_emergency_minutes = 2; };
doses = { window_before_minutes = 30; window_after_minutes = 90;
          horizon_hours = 72; hold_after = 2; };
observations = { plan_hours = 96; base_interval_minutes = 240;
                 low_interval_minutes = 120; medium_interval_minutes = 60;
                 high_interval_minutes = 30; grace_minutes = 10;
                 max_past_hours = 6; };
movements = { margin_minutes = 20; lead_minutes = 45;
              earliest_time = "05:30"; past_tolerance_minutes = 30;
              max_ahead_days = 7; };
streams = { max = 16; heartbeat_seconds = 10; max_buffer_bytes = 65536; };
safety = { first_dose_ceiling = { methadone = "20 mg";
                                  espranor = "2.5 mg"; }; };
time_zone = "Europe/London";
log_level = "debug";
database = "/var/lib/idtsd/idtsd.db";
"""))
    seeds.append(("tls", 'listen = { address = "10.0.0.5"; };\n'
                  'tls = { certificate = "/etc/idtsd/cert.pem";\n'
                  '        key = "/etc/idtsd/key.pem"; };\n'))
    return seeds


def main():
    rts = routes()
    fields = json_fields()
    paths = [concrete(p) for _, p in rts]
    segments = sorted({s for p in paths for s in p.split("/") if s})
    write_dict("fuzz_router.dict",
               "# fuzz_router: methods, routes, headers, body fields and\n"
               "# values (written by seeds.py)\n",
               ["GET ", "POST ", "PATCH ", "DELETE ", "\n%%\n", "TICK\n",
                "\n\n", "Authorization: Bearer ", "Idempotency-Key: ",
                "Last-Event-ID: ", "Accept: ", "Content-Type: ",
                "application/json", "text/csv", "text/plain",
                "6f1d3c52-3a8e-4d8b-9a43-0d8c5b1c2e11"] +
               paths + ["/" + s for s in segments] + ["{}"] +
               [q + "=" for q in query_names()] + PLACEHOLDERS +
               ['"%s":' % f for f in fields] + VALUES)
    write_dict("fuzz_json_body.dict",
               "# fuzz_json_body: body fields and values (written by "
               "seeds.py)\n",
               ['"%s":' % f for f in fields] + PLACEHOLDERS + VALUES)
    write_dict("fuzz_config.dict",
               "# fuzz_config: every key and the syntax (written by "
               "seeds.py)\n",
               config_keys() + [k.split(".")[-1] for k in config_keys()] +
               [" = ", ": ", ";", "{", "}", "[", "]", "(", ")", ",", '"',
                "\\", "0x", "L", "true", "false", "//", "/*", "*/", "#",
                "Europe/London", "127.0.0.1", "::1", "localhost",
                "2027-01-01", "06:00", "error", "warning", "info",
                "debug", "2147483648", "-1", "9223372036854775807"])
    write_dict("fuzz_sse_resume.dict",
               "# fuzz_sse_resume (written by seeds.py)\n",
               ["last_event_id=", "&", "%", "%2B", "%20", "+", "-", " ",
                "9223372036854775807", "9223372036854775808",
                "18446744073709551616", "0x10", "\n", "state=open"])
    write_corpus("fuzz_router", router_seeds())
    write_corpus("fuzz_json_body", json_body_seeds())
    write_corpus("fuzz_sse_resume", sse_seeds())
    write_corpus("fuzz_config", config_seeds())
    print("%d routes, %d body fields, %d config keys" %
          (len(rts), len(fields), len(config_keys())))


# Values the handlers parse: enums, times, dates, quantities, roles.
VALUES = [
    '"maintenance"', '"reducing"', '"court"', '"release"', '"transfer"',
    '"A"', '"C"', '"V"', '"P"', '"U"', '"nurse"', '"competent"',
    '"prescriber"', '"pharmacist"', '"reception"', '"carat"', '"manager"',
    '"admin"', '"2026-11-23T17:30:00Z"', '"2026-11-23T18:00:00+01:00"',
    '"2026-11-24"', '"08:00"', '"18:00"', '"24:00"', "true", "false",
    "null", "0.001", "1e308", "-0", "9223372036854775807",
    "-9223372036854775808", '"carl"', '"3333"', '"D1001AA"', "[]", "{}",
    '"open"', '"all"', '"ward"', '"in_custody"', '"\\u0000"', '"\\ud800"',
]

if __name__ == "__main__":
    main()
