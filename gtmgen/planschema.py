"""The JSON Schema of plan.json, version 1: the contract with programs that read the plan
(dashboards, scripts). Strict (no key it does not list), and every key described; the tests
validate every plan.json gtmgen builds against it, so the two cannot drift apart."""

from __future__ import annotations

from typing import Any

PLAN_FORMAT = 1
PLAN_SCHEMA_ID = f"https://gtmgen.dev/schema/plan-v{PLAN_FORMAT}.json"

Schema = dict[str, Any]


def _t(kind: str | list[str], text: str, **more: Any) -> Schema:
    return {"type": kind, "description": text, **more}


def _date(text: str, nullable: bool = False) -> Schema:
    return _t(["string", "null"] if nullable else "string", text, format="date",
              pattern=r"^\d{4}-\d{2}-\d{2}$")


def _number(text: str, nullable: bool = False) -> Schema:
    return _t(["number", "null"] if nullable else "number", text)


def _text(text: str, nullable: bool = False) -> Schema:
    return _t(["string", "null"] if nullable else "string", text)


def _ids(text: str) -> Schema:
    return _t("array", text, items={"type": "string"})


def _object(text: str, properties: dict[str, Schema]) -> Schema:
    return {"type": "object", "description": text, "properties": properties,
            "required": sorted(properties), "additionalProperties": False}


def _list(text: str, item: Schema) -> Schema:
    return {"type": "array", "description": text, "items": item}


MONEY = " (in the playbook's currency, rounded to the cent)"
ESTIMATE = "; null when it cannot be estimated (no CPL, or no conversion rate)"

_PHASE = _object("A phase of the message sequence, with its dates.", {
    "id": _text("The phase id."),
    "value_proposition": _text("The promise the phase leads with."),
    "facet": _text("The part of the product it highlights.", True),
    "start": _date("Its first day."), "end": _date("Its last day."),
    "days": _t("integer", "Its length in days."),
    "personas": _ids("Ids of the personas it speaks to."),
    "channels": _ids("Ids of the channels it runs on."),
    "resonance": {"type": ["object", "null"],
                  "description": "How its review judges it: {metric, target}; null when not "
                                 "given.",
                  "properties": {"metric": _text("What is measured."),
                                 "target": _number("The target.")},
                  "required": ["metric", "target"], "additionalProperties": False},
})

_SUMMARY = _object("The playbook the plan was made from, in brief.", {
    "format": _t("integer", "The playbook format version (1)."),
    "client": _text("client.name"), "product": _text("client.product"),
    "prepared_by": _text("client.prepared_by", True), "version": _text("client.version", True),
    "date": _date("client.date, the date on the cover.", True),
    "locale": _text("client.locale"), "currency": _text("client.currency"),
    "country": _text("client.country", True),
    "holiday_data": _t("boolean", "Whether public holidays of the country were known."),
    "launch_date": _date("launch.date"),
    "pillar": _text("messages.pillar", True),
    "sequence": _object("The message sequence's span.", {
        "start": _date("The first phase's first day."),
        "end": _date("The last phase's last day."),
        "days": _t("integer", "Days from start to end, both included.")}),
    "counts": _object("How many of each the playbook holds.", {
        name: _t("integer", f"Number of {name}.")
        for name in ("segments", "icps", "personas", "partners", "channels", "phases",
                     "roles")}),
    "phases": _list("The phases in order.", _PHASE),
})

_EVENT = _object("One dated entry of the launch calendar.", {
    "date": _date("The day it happens (a working day, after any move)."),
    "planned": _date("The day the rules gave before a move off a non-working day."),
    "moved": _t("boolean", "Whether it was moved off a non-working day."),
    "kind": _t("string", "What it is.", enum=["phase-start", "activity", "partner", "review",
                                               "milestone", "hiring", "readiness"]),
    "key": _text("Its identity across builds, e.g. activity/office-rituals/email/2."),
    "phase": _text("The id of the phase holding it; null outside every phase.", True),
    "channel": _text("The channel id of an activity.", True),
    "personas": _ids("Ids of the personas it reaches."),
    "owner": _text("The id of the accountable role (hiring: the hiring manager; phase starts, "
                   "reviews, briefs: the phase's owner; operating reviews: who runs them).",
                   True),
    "title": _text("A one-line title in the playbook's language, with names (not ids)."),
    "step": _text("hiring: open or start; readiness: brief, assets or setup.", True),
    "moment": _t(["integer", "null"], "A partner moment's number within its partner, from 1."),
    "offset": _text("An operating review's offset: days (90) or calendar months (3m).", True),
    "day_off": {"type": ["string", "null"], "enum": ["weekday", "holiday", "blackout", None],
                "description": "Why it moved off its planned day."},
    "holiday": _text("The public holiday it moved off, named in the playbook's language.",
                     True),
    "status": _t("string", "With results only, on events up to their last day: done or "
                           "missed (docs/review.md).", enum=["done", "missed"]),
})
_EVENT["required"] = [key for key in _EVENT["required"] if key != "status"]

_HIRE = _object("One open role in the hiring plan, in hiring order.", {
    "order": _t("integer", "Its place in the hiring order, from 1."),
    "role": _text("The role id."), "title": _text("The role's title."),
    "tier": _t("string", "P1, P2 or P3.", enum=["P1", "P2", "P3"]),
    "needed_by": _date("The day the role must be working."),
    "needed_source": _t("string", "Why that day: date (as set), phase (a phase's start), "
                                  "handover (the engagement hands over to it), channels (the "
                                  "first phase using a channel it owns), launch.",
                        enum=["date", "phase", "handover", "channels", "launch"]),
    "needed_phase": _text("The phase behind a phase or channels date.", True),
    "lead_days": _t("integer", "Days from opening the vacancy to the hire starting."),
    "hire_by": _date("needed_by − lead_days: the latest day the vacancy may open."),
    "opens": _date("The day the vacancy opens (later than hire_by when "
                   "launch.hires_in_parallel makes it wait)."),
    "starts": _date("opens + lead_days: the day the hire starts."),
    "late": _t("boolean", "Whether the hire starts after needed_by."),
    "overdue": _t("boolean", "Whether the vacancy opens before client.date, the date the "
                             "document is delivered."),
    "hiring_manager": _text("The id of the role it reports to, owner of its hiring events.",
                            True),
    "budget_share": _number("Percent of the monthly channel budget on channels it owns."),
    "phases": _t("integer", "Phases that use a channel it owns."),
    "score": _number("budget_share + 5 × phases."),
    "channels": _ids("Ids of the channels it owns."),
})

_BUDGET = _object("The budget over its horizon, and what it is expected to buy.", {
    "horizon": _object("The days the budget covers.", {
        "start": _date("The first day."), "end": _date("The last day, included."),
        "months": _t(["integer", "null"], "budget.months; null: the message sequence."),
        "days": _t("integer", "Days in the horizon.")}),
    "channels": _list("Each channel's spend and funnel.", _object("One channel.", {
        "channel": _text("The channel id."), "name": _text("Its name."),
        "owner": _text("The id of the role that owns it.", True),
        "monthly": _number("Its monthly budget" + MONEY + "."),
        "share": _number("Percent of the monthly channel budget."),
        "spend": _number("Its monthly budget over the horizon" + MONEY + "."),
        "one_off": _number("One-off costs naming it, inside the horizon" + MONEY + "."),
        "cpl": _number("The CPL used: its own kpis.cpl, else the playbook's" + ESTIMATE, True),
        "leads": _number("spend ÷ cpl" + ESTIMATE, True),
        "customers": _number("leads × conversion_rate" + ESTIMATE, True)})),
    "channel_monthly": _number("The monthly channel budget" + MONEY + "."),
    "team": _list("Each role with a cost.", _object("One role's cost.", {
        "role": _text("The role id."), "title": _text("Its title."),
        "status": _t("string", "filled or open.", enum=["filled", "open"]),
        "basis": _t("string", "How the cost is given.",
                    enum=["monthly", "hourly", "daily", "project"]),
        "monthly": _number("Cost per month (a project: fee ÷ months)" + MONEY + "."),
        "fee": _number("A project's whole fee.", True),
        "start": _date("The first day charged."),
        "end": _date("The last day charged; null when no day of the horizon is.", True),
        "total": _number("Charged within the horizon" + MONEY + ".")})),
    "team_monthly": _number("Monthly cost of every role with a cost; null: no role has one "
                            "(not given, never zero).", True),
    "one_offs": _list("budget.one_off.", _object("A cost paid once.", {
        "name": _text("What it is."), "amount": _number("Its amount."),
        "date": _date("When it is paid."), "channel": _text("The channel it counts to.", True),
        "counted": _t("boolean", "Whether it falls inside the horizon (else left out).")})),
    "months": _list("A row per calendar month of the horizon.", _object("One month.", {
        "month": _date("The month's first day."),
        "days": _t("integer", "Days of the month inside the horizon."),
        "channels": _number("Channel budgets charged for those days."),
        "team": _number("Team cost charged for those days; null: not given.", True),
        "one_off": _number("One-off costs dated in the month."),
        "total": _number("channels + team + one_off."),
        "leads": _number("Expected leads" + ESTIMATE, True),
        "customers": _number("Expected customers" + ESTIMATE, True)})),
    "channel_total": _number("Channel budgets over the horizon (the months' sum)."),
    "team_total": _number("Team cost over the horizon; null: not given.", True),
    "one_off_total": _number("One-off costs inside the horizon."),
    "total": _number("The planned total: the months' sum."),
    "approved": _number("budget.total; null when not given.", True),
    "headroom": _number("approved − total (negative: over budget); null without approved.",
                        True),
    "phases": _list("What each phase's channels are expected to buy over its days.",
                    _object("One phase.", {
                        "phase": _text("The phase id."), "days": _t("integer", "Its days."),
                        "spend": _number("Its channels' monthly budgets × days ÷ 30.4375."),
                        "leads": _number("Expected leads" + ESTIMATE, True),
                        "customers": _number("Expected customers" + ESTIMATE, True)})),
    "leads": _number("Expected leads over the horizon" + ESTIMATE, True),
    "customers": _number("Expected customers over the horizon" + ESTIMATE, True),
    "media_cac": _number("(channel spend + channel one-offs) ÷ customers" + ESTIMATE, True),
    "loaded_cac": _number("Fully loaded CAC: total ÷ customers" + ESTIMATE, True),
    "target_cac": _number("kpis.cac; null when not given or to be decided.", True),
    "ltv_cac": _number("The targets' ratio, kpis.ltv ÷ kpis.cac.", True),
    "plan_ltv_cac": _number("The plan's ratio, kpis.ltv ÷ loaded_cac.", True),
    "payback_months": _number("loaded_cac ÷ kpis.mrr.", True),
    "no_cpl": _ids("Channels with a budget and no CPL: their leads are not counted."),
})


_SCENARIO = _object("One scenario's plan, over the same horizon as the budget.", {
    "id": _text("The scenario id (base: the playbook as written)."),
    "name": _text("Its name; empty for the playbook as written when no scenario is base."),
    "base": _t("boolean", "Whether it is the playbook as written."),
    "channel_monthly": _number("The monthly channel budget" + MONEY + "."),
    "channel_total": _number("Channel budgets over the horizon."),
    "team_total": _number("Team cost over the horizon; null: not given.", True),
    "total": _number("The planned total: channels + team + one-off."),
    "conversion_rate": _number("The conversion rate used; null: not given.", True),
    "leads": _number("Expected leads" + ESTIMATE, True),
    "customers": _number("Expected customers" + ESTIMATE, True),
    "media_cac": _number("(channel spend + channel one-offs) ÷ customers" + ESTIMATE, True),
    "loaded_cac": _number("Fully loaded CAC: total ÷ customers" + ESTIMATE, True),
    "plan_ltv_cac": _number("kpis.ltv ÷ loaded_cac.", True),
    "payback_months": _number("loaded_cac ÷ kpis.mrr.", True),
    "hires": _list("Open roles whose hire starts on another day than in the playbook as "
                   "written, or is not made.", _object("One hire that moves.", {
                       "role": _text("The role id."), "title": _text("Its title."),
                       "starts": _date("The day it starts in the playbook as written."),
                       "moved_to": _date("The day it starts in this scenario; null: not "
                                         "hired.", True)})),
})

_RETURN = "; null when not estimated (no CPL, conversion rate, ltv or mrr)"
_ROI = _object("The return per channel and phase of the playbook as written.", {
    "value": _number("What one customer brings: kpis.ltv, else kpis.mrr × months" + _RETURN,
                     True),
    "basis": {"type": ["string", "null"], "enum": ["ltv", "mrr", None],
              "description": "Where value comes from; null: neither ltv nor mrr is given."},
    "months": _number("The months of mrr counted (the horizon's length); null with ltv.",
                      True),
    "channels": _list("Each channel, the best return first; not estimated last.",
                      _object("One channel's return.", {
                          "channel": _text("The channel id."), "name": _text("Its name."),
                          "cost": _number("Its spend over the horizon + one-off costs naming "
                                          "it" + MONEY + "."),
                          "customers": _number("Expected customers" + _RETURN, True),
                          "revenue": _number("customers × value" + _RETURN, True),
                          "roi": _number("(revenue − cost) ÷ cost" + _RETURN + ", or no cost",
                                         True),
                          "rank": _t(["integer", "null"], "1 = the best return; null: not "
                                                          "estimated."),
                          "below_cost": _t("boolean", "Whether revenue is below cost.")})),
    "phases": _list("Each phase in order.", _object("One phase's return.", {
        "phase": _text("The phase id."),
        "cost": _number("Its channels' monthly budgets × days ÷ 30.4375."),
        "customers": _number("Expected customers" + _RETURN, True),
        "revenue": _number("customers × value" + _RETURN, True),
        "roi": _number("(revenue − cost) ÷ cost" + _RETURN + ", or no cost", True)})),
})


def plan_schema() -> Schema:
    """The JSON Schema (draft 2020-12) of plan.json, version PLAN_FORMAT."""
    schema = _object(f"plan.json, version {PLAN_FORMAT}: the plan gtmgen made of a playbook.", {
        "plan_format": {"const": PLAN_FORMAT,
                        "description": "The version of this layout; a change that could "
                                       "break a reader gets a new number."},
        "playbook": _SUMMARY,
        "calendar": _list("Every event, sorted by date, kind, id and key.", _EVENT),
        "hiring": _list("The open roles in hiring order.", _HIRE),
        "budget": _BUDGET,
        "scenarios": _list("Present when the playbook has scenarios: each scenario's plan, the "
                           "playbook as written first unless a scenario is base.", _SCENARIO),
        "roi": _ROI,
        "review": _t("object", "With results only: the review at the last day they cover, "
                               "as `gtmgen review` makes it (docs/review.md): phases with "
                               "their verdicts, the operating review, channels, months, "
                               "hires, recommendations and gaps."),
    })
    # Optional: a playbook without `scenarios:` has no scenarios key; one built without
    # results has no review.
    schema["required"] = [key for key in schema["required"]
                          if key not in ("scenarios", "review")]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": PLAN_SCHEMA_ID,
            "title": f"gtmgen plan.json, version {PLAN_FORMAT}", **schema}


def plan_schema_markdown() -> str:
    """Every key of plan.json with its type and meaning, as Markdown tables."""
    lines = [f"# plan.json, version {PLAN_FORMAT}", "",
             "Generated by `gtmgen schema --plan --markdown` from the schema that "
             "`gtmgen schema --plan` prints; every plan.json gtmgen writes validates against "
             "it. Numbers are rounded to 2 decimals; dates are `YYYY-MM-DD`.", ""]

    def kind(node: Schema) -> str:
        found = node.get("type", "value")
        names = found if isinstance(found, list) else [found]
        if "const" in node:
            return f"`{node['const']}`"
        if "enum" in node:
            return " \\| ".join(f"`{v}`" for v in node["enum"])
        words = {"array": "list", "object": "object", "string": "text", "number": "number",
                 "integer": "whole number", "boolean": "true/false", "null": "null"}
        shown = [str(words.get(n, n)) for n in names if n != "null"]
        if node.get("format") == "date":
            shown = ["date"]
        return " or ".join(shown) + (" or null" if "null" in names else "")

    def table(path: str, node: Schema) -> None:
        lines.extend([f"## `{path}`", "", node.get("description", ""), "",
                      "| key | type | meaning |", "|---|---|---|"])
        nested = []
        for key, child in node["properties"].items():
            lines.append(f"| `{key}` | {kind(child)} | {child.get('description', '')} |")
            item = child.get("items", {}) if child.get("type") == "array" else child
            if "properties" in item:
                nested.append((f"{path}.{key}" + ("[]" if item is not child else ""), item))
        lines.append("")
        for sub_path, sub in nested:
            table(sub_path, sub)

    table("plan.json", plan_schema())
    return "\n".join(lines).replace("## `plan.json.", "## `") + "\n"
