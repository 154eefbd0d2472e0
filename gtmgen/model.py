"""The playbook format, version 1, as pydantic models: the schema and nothing else."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from gtmgen.targets import KpiTargetMap
from gtmgen.types import (
    DATE_PATTERN,
    FIRST_YEAR,
    LAST_YEAR,
    SLUG_PATTERN,
    BuyingRole,
    Cadence,
    ChannelKind,
    Colour,
    Count,
    Country,
    Currency,
    EngagementModel,
    FontName,
    Hours,
    Integer,
    IsoDate,
    Locale,
    Money,
    Number,
    PartnerKind,
    RaciLetter,
    ReviewOffset,
    RoleKind,
    RoleStatus,
    Slug,
    StakeholderFunction,
    Text,
    Verdict,
    Weekday,
    amount_schema,
    describe,
    problem,
)

FORMAT_VERSION = 1
MAX_PHASE_DAYS = 366  # a phase is a few weeks; a year is already far beyond what is meant
WORKWEEK = [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI]

MAX_ITEMS = 500  # entries in one section: far above any launch plan, and it bounds the work
MAX_ROLES = 200  # hiring in order compares every vacancy with the others
Amount = Annotated[Money, Field(ge=0), WithJsonSchema(amount_schema(minimum=0))]
# 744: the hours of a 31-day month
HourCount = Annotated[Hours, Field(ge=0, le=744), WithJsonSchema(amount_schema(0, 744))]
AccountCount = Annotated[Count, Field(ge=0), WithJsonSchema(amount_schema(minimum=0))]
TextList = list[Text]


def _is_author_key(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("x-")


class Section(BaseModel):
    """Every mapping of the format: unknown keys are errors, `notes` and `x-…` keys are the
    author's own, and a key left empty means "not given" where the key is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True,
                              json_schema_extra={"patternProperties": {"^x-": {}}})

    notes: Text | None = Field(None, description="Free text for the author; not printed.")
    # Keys that are not this mapping's but another's, with words for where they belong: an
    # unknown-key message says so instead of guessing a near spelling.
    elsewhere: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _drop_author_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {key: value for key, value in data.items()
                if not _is_author_key(key)
                and not (value is None and key in fields and not fields[key].is_required())}


class Fonts(Section):
    """Type faces by name; a reader's machine substitutes a similar face when it lacks one."""

    body: FontName | None = Field(None, description="Font of the running text, e.g. Calibri.")
    heading: FontName | None = Field(None, description="Font of the headings and the cover.")


class Colours(Section):
    """The brand's colours, each #RRGGBB."""

    text: Colour | None = Field(None, description="Running text.")
    heading: Colour | None = Field(None, description="Headings and the cover title.")
    accent: Colour | None = Field(None, description="Links, rules and the cover band.")
    muted: Colour | None = Field(None, description="Secondary text: header, footer, captions.")
    line: Colour | None = Field(None, description="Table borders and rules.")
    table_header: Colour | None = Field(None, description="Fill of table header rows.")
    table_header_text: Colour | None = Field(None, description="Text of table header rows.")
    chart: list[Colour] | None = Field(None, min_length=1, max_length=24,
                                       description="Chart colours, used in this order.")


class Page(Section):
    """Paper for the Word and PDF documents."""

    size: Annotated[str, Field(pattern=r"^(A4|A5|letter|legal)$",
                               description="A4, A5, letter or legal; default A4, or letter "
                                           "for a client in the US or Canada.")] | None = None
    margin_mm: Annotated[Number, Field(ge=5, le=60)] | None = Field(
        None, description="Margin on every side, in millimetres; default 20.")


class Brand(Section):
    """How the deliverables look: the client's fonts, colours, logo and running text.
    Everything is optional; what is not given comes from theme.yaml beside the playbook, then
    from gtmgen's own theme."""

    fonts: Fonts | None = Field(None, description="Type faces.")
    colours: Colours | None = Field(None, description="Brand colours.")
    logo: Text | None = Field(None, description="A PNG or JPEG of the client's mark, relative "
                                                "to the file that names it; shown on the "
                                                "cover and in the page header.")
    header: Text | None = Field(None, description="Running text at the top of every page.")
    footer: Text | None = Field(None, description="Running text at the foot of every page.")
    confidential: bool | None = Field(None, description="Adds 'Confidential — prepared for "
                                                        "<client>' (in the client's language) "
                                                        "to the foot of every page.")
    page: Page | None = Field(None, description="Paper size and margins.")

    elsewhere: ClassVar[dict[str, str]] = {
        key: f"'{key}' belongs in the top-level 'brand:' section (how the brand speaks); "
             "client.brand is how the deliverables look" for key in ("voice", "pillars")}


class Client(Section):
    """Who the deliverables are for, and how they are printed."""

    name: Text = Field(description="Client company.")
    product: Text = Field(description="What is being launched.")
    prepared_by: Text | None = Field(None, description="Consultant or firm named on the cover.")
    version: Text | None = Field(None, description="Deliverable version shown on the cover.")
    date: IsoDate | None = Field(None, description="Date printed on the cover; none if absent.")
    locale: Locale = Field("en", description="Language of labels, headings and dates.")
    locales: list[Locale] | None = Field(
        None, min_length=2, max_length=6,
        description="The locales to build, the primary first: one output folder each. Any "
                    "text may then be a mapping of locale to text. Not with `locale`.")
    currency: Currency = Field("USD", description="ISO 4217 code used to print money.")
    country: Country | None = Field(None, description="ISO 3166 alpha-2 code; its public "
                                                      "holidays are non-working days.")
    docx_template: Text | None = Field(None, description="A .docx whose styles, headers and "
                                                         "page setup the Word documents use; "
                                                         "a path relative to the file that "
                                                         "names it.")
    pptx_template: Text | None = Field(None, description="A .pptx whose masters and layouts "
                                                         "the slide deck uses; a path "
                                                         "relative to the file that names it.")
    brand: Brand | None = Field(None, description="The deliverables' look: fonts, colours, "
                                                  "logo, running header and footer, paper.")

    @model_validator(mode="before")
    @classmethod
    def _locale_being_read(cls, data: Any, info: ValidationInfo) -> Any:
        """With `locales`, `locale` is the one being read (the primary unless the validation
        context names another); giving both is an error."""
        if not isinstance(data, dict) or data.get("locales") is None:
            return data
        if data.get("locale") is not None:
            raise problem("give either locale (one language) or locales (several, the "
                          "primary first), not both")
        context = info.context if isinstance(info.context, dict) else {}
        locales = data["locales"]
        first = locales[0] if isinstance(locales, list) and locales else None
        return {**data, "locale": context.get("locale", first)} if first else data


class Readiness(Section):
    """The work-back before each phase: workdays before its start by which each task is done
    (0 leaves the task out of the calendar)."""

    brief: Annotated[Integer, Field(ge=0, le=60)] = Field(
        10, description="The phase's brief is agreed (owner: the phase's owner).")
    assets: Annotated[Integer, Field(ge=0, le=60)] = Field(
        5, description="Each channel's assets are ready (owner: the channel's owner).")
    setup: Annotated[Integer, Field(ge=0, le=60)] = Field(
        2, description="Each channel is set up and scheduled (owner: the channel's owner).")


class Launch(Section):
    """When the launch happens and which days count as working days."""

    date: IsoDate = Field(description="Day the first value proposition goes live.")
    workdays: list[Weekday] = Field(default_factory=lambda: list(WORKWEEK), min_length=1,
                                    description="Days on which dated activities may fall.")
    blackout: list[IsoDate] = Field(default_factory=list,
                                    description="Extra non-working days.")
    phase_days: list[Integer] = Field(default_factory=lambda: [14, 21],
                                      description="[min, max] length of one message phase, in "
                                                  "days.")
    reviews: list[ReviewOffset] = Field(
        default_factory=lambda: ["90", "180", "365"],
        description="Operating reviews after launch: days (90) or calendar months (3m: the "
                    "same day of the month, or that month's last day); each offset once.")
    hiring_lead_days: Annotated[Integer, Field(ge=0, le=730)] = Field(
        45, description="Days from opening a requisition to the hire starting.")
    hires_in_parallel: Annotated[Integer, Field(ge=1)] | None = Field(
        None, description="At most this many requisitions open at the same time; default no "
                          "limit.")
    review_owner: Slug | None = Field(
        None, description="The role id that runs the operating reviews; default the role whose "
                          "responsibilities mention reviews, else the most senior role.")
    readiness: Readiness = Field(
        default_factory=lambda: Readiness(),
        description="Workdays before each phase starts by which its work must be done.")

    @field_validator("phase_days")
    @classmethod
    def _min_max(cls, value: list[int]) -> list[int]:
        if len(value) != 2:
            raise problem(f"phase_days takes two numbers, [min, max]; found {len(value)}")
        low, high = value
        if low < 1 or high < low:
            raise problem(f"phase_days [{low}, {high}] is not a range: min must be at least 1 "
                          "and not above max")
        if high > MAX_PHASE_DAYS:
            raise problem(f"phase_days [{low}, {high}]: a phase lasts at most {MAX_PHASE_DAYS} "
                          "days")
        return value


class Segment(Section):
    """A market segment."""

    id: Slug
    name: Text
    description: Text | None = None
    size: AccountCount | None = Field(None, description="Number of target accounts or buyers.")
    priority: Annotated[Integer, Field(ge=1)] | None = Field(None, description="1 = highest.")


class Icp(Section):
    """An ideal customer profile within a segment."""

    id: Slug
    name: Text
    segment: Slug = Field(description="A segment id.")
    attributes: dict[Text, Text] = Field(default_factory=dict)
    attribute_names: dict[Text, Text] = Field(
        default_factory=dict,
        description="How the documents name an attribute, when not as its key: in a playbook "
                    "in several languages, its name in each (region: {en: Region, nl: Regio}).")
    pains: TextList = Field(default_factory=list)
    triggers: TextList = Field(default_factory=list)
    disqualifiers: TextList = Field(default_factory=list)

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes(cls, value: Any) -> Any:
        return {k: v for k, v in value.items() if not _is_author_key(k)} \
            if isinstance(value, dict) else value


class Persona(Section):
    """A buyer or user the launch speaks to."""

    id: Slug
    name: Text
    title: Text
    icps: list[Slug] = Field(min_length=1, description="Ids of the ICPs this persona belongs to.")
    buying_role: BuyingRole | None = None
    goals: TextList = Field(default_factory=list)
    pains: TextList = Field(default_factory=list)
    objections: TextList = Field(default_factory=list)
    channels: list[Slug] = Field(default_factory=list,
                                 description="Ids of the channels where they are reached.")


class PartnerMoment(Section):
    """A partner activity that lands on the calendar at a phase's start."""

    phase: Slug = Field(description="A phase id.")
    activity: Text


class Partner(Section):
    """A partner that contributes to the launch."""

    id: Slug
    name: Text
    kind: PartnerKind
    contribution: Text | None = None
    owner: Slug | None = Field(None, description="The accountable role id.")
    moments: list[PartnerMoment] = Field(default_factory=list)


KpiTargets = Annotated[KpiTargetMap, Field(default_factory=dict)]


def decided(kpis: dict[str, float | str], metric: str) -> float | None:
    """A KPI's target when it is a number; None when it is absent or to be decided."""
    value = kpis.get(metric)
    return value if isinstance(value, float | int) else None


class Channel(Section):
    """A channel the launch runs on."""

    id: Slug
    name: Text
    kind: ChannelKind | None = None
    owner: Slug | None = Field(None, description="The role id accountable for the channel.")
    format: Text | None = Field(None, description="What goes out on it: a newsletter, a "
                                                  "carousel post, a webinar.")
    budget: Amount = Field(0, description="Monthly spend.")
    cadence: Cadence = Field(Cadence.PER_PHASE, description="How often an activity goes out "
                                                            "while a phase runs on this channel.")
    weekdays: list[Weekday] | None = Field(
        None, description="Days of weekly and biweekly (one day) and twice-weekly (two days) "
                          "activities; default: the weekday of the phase's first day, and for "
                          "twice-weekly also the weekday three days later.")
    kpis: KpiTargets


class Resonance(Section):
    """How the end-of-phase review judges the value proposition."""

    metric: Text
    target: Number


class Phase(Section):
    """One message phase: a value proposition leading for two to three weeks."""

    id: Slug
    value_proposition: Text = Field(description="The promise this phase leads with.")
    facet: Text | None = Field(None, description="The part of the product it highlights.")
    weeks: Annotated[Integer, Field(ge=1, le=MAX_PHASE_DAYS // 7)] | None = Field(
        None, description="Length in weeks.")
    days: Annotated[Integer, Field(ge=1, le=MAX_PHASE_DAYS)] | None = Field(
        None, description="Length in days.")
    start: IsoDate | None = Field(None, description="Start date; default the day after the "
                                                    "previous phase ends.")
    personas: list[Slug] = Field(min_length=1)
    channels: list[Slug] = Field(min_length=1)
    proof_points: TextList = Field(default_factory=list)
    call_to_action: Text | None = None
    resonance: Resonance | None = None
    owner: Slug | None = Field(None, description="The role id that runs the phase: its start, "
                                                 "brief and review; default the most senior "
                                                 "role.")

    @model_validator(mode="after")
    def _one_length(self) -> Phase:
        if self.weeks is not None and self.days is not None:
            raise problem("give the length as 'weeks' or as 'days', not both")
        return self

    @property
    def length_days(self) -> int:
        """Length in days: `days`, else 7 × `weeks`, else two weeks."""
        if self.days is not None:
            return self.days
        return 7 * (self.weeks if self.weeks is not None else 2)


class Verdicts(Section):
    """How a resonance review decides, as shares of the phase's target (`gtmgen review`)."""

    keep: Annotated[Number, Field(gt=0, le=10)] = Field(
        1.0, description="Keep the value proposition when its metric reaches this share of the "
                         "target (1 = the target itself).")
    iterate: Annotated[Number, Field(ge=0, le=10)] = Field(
        0.7, description="Iterate on it from this share of the target up to `keep`; below "
                         "it, drop it.")


class Messages(Section):
    """The message sequence."""

    pillar: Text | None = Field(None, description="The positioning every phase supports.")
    phases: list[Phase] = Field(min_length=1, max_length=MAX_ITEMS)
    verdicts: Verdicts = Field(default_factory=Verdicts,
                               description="The thresholds of the resonance reviews' verdicts.")


def _shape(value: Any) -> str:
    return "list[]" if isinstance(value, list) else "str[]"


# A text, or a list: only the branch that fits the value's shape is tried, so a mistake gets
# one message, not one per branch. The tags are written like pydantic's own member names, so
# that modelerrors leaves them out of the path it reports.
TextOrIds = Annotated[Annotated[list[Slug], Tag("list[]")] | Annotated[Text, Tag("str[]")],
                      Discriminator(_shape)]
TextOrWords = Annotated[Annotated[TextList, Tag("list[]")] | Annotated[Text, Tag("str[]")],
                        Discriminator(_shape)]


class Competitor(Section):
    """A competitor, or another way the buyer solves the problem today (spreadsheets, an
    agency): whom it serves, what it does well and badly, what it costs, how we win."""

    id: Slug
    name: Text
    segments: list[Slug] = Field(default_factory=list,
                                 description="Ids of the playbook's segments it serves.")
    strengths: TextList = Field(default_factory=list, description="What it does well.")
    weaknesses: TextList = Field(default_factory=list, description="Where it falls short.")
    price_point: Text | None = Field(None, description="What it costs, printed as written; "
                                                       "give the unit (EUR 40 per user a "
                                                       "month).")
    how_we_win: Text | None = Field(None, description="How we win a deal against it.")
    against: dict[Slug, Verdict] = Field(
        default_factory=dict, max_length=MAX_ITEMS,
        description="Phase id → how that phase's value proposition stands against this "
                    "competitor: we-win, even or they-win.")

    @field_validator("against", mode="before")
    @classmethod
    def _verdicts(cls, value: Any) -> Any:
        # An empty verdict is "not given", as everywhere; x- keys are the author's own.
        if not isinstance(value, dict):
            return value
        return {k: v for k, v in value.items() if v is not None and not _is_author_key(k)}


class Positioning(Section):
    """The positioning statement: for <for_whom> who <need>, <product> is the <category> that
    <difference>. Unlike <alternative>, <proof>."""

    product: Text | None = Field(None, description="The product's name in the statement; "
                                                   "default client.product.")
    category: Text = Field(description="The market category the product is in, as the buyer "
                                       "names it.")
    for_whom: TextOrIds = Field(description="Who it is for: text, or a list of segment or ICP "
                                            "ids (an id is a segment's when a segment has "
                                            "it, else an ICP's).")
    need: Text | None = Field(None, description="What they need, completing 'who …'.")
    difference: Text = Field(description="What the product does that matters, completing "
                                         "'the <category> that …'.")
    alternative: Text | None = Field(None, description="What the buyer would use instead: a "
                                                       "competitor, or the way it is done "
                                                       "today.")
    proof: TextList = Field(default_factory=list, max_length=MAX_ITEMS,
                            description="Evidence, each completing 'Unlike <alternative>, "
                                        "…'.")


class BrandPillar(Section):
    """A theme every message of the brand comes back to."""

    name: Text
    description: Text | None = None


class BrandVoice(Section):
    """How the brand speaks: its voice and its pillars. Not its look, which is client.brand."""

    voice: TextOrWords | None = Field(None, description="How the brand speaks: a sentence, or "
                                                       "a list of words (clear, calm, "
                                                       "exact).")
    pillars: list[BrandPillar] = Field(default_factory=list, max_length=MAX_ITEMS,
                                       description="Themes every message comes back to.")

    elsewhere: ClassVar[dict[str, str]] = {
        key: f"'{key}' belongs in client.brand (how the deliverables look); the top-level "
             "'brand:' is how the brand speaks" for key in ("fonts", "colours", "logo",
                                                            "header", "footer",
                                                            "confidential", "page")}


_COST_SHAPES = ({"monthly"}, {"hourly", "hours_per_month"}, {"daily", "days_per_week"},
                {"project", "months"})


class Cost(Section):
    """What a role costs: monthly, hourly × hours per month, a day rate × days a week, or a
    project fee over months."""

    monthly: Amount | None = Field(None, description="Cost per month.")
    hourly: Amount | None = Field(None, description="Hourly rate; with hours_per_month.")
    hours_per_month: HourCount | None = None
    daily: Amount | None = Field(None, description="Day rate; with days_per_week.")
    days_per_week: Annotated[Number, Field(gt=0, le=7)] | None = None
    project: Amount | None = Field(None, description="Fee for the whole project; with months.")
    months: Annotated[Integer, Field(ge=1, le=60)] | None = Field(
        None, description="Calendar months the project fee is spread over.")

    @model_validator(mode="after")
    def _one_shape(self) -> Cost:
        given = {k for k in ("monthly", "hourly", "hours_per_month", "daily", "days_per_week",
                             "project", "months") if getattr(self, k) is not None}
        if given not in _COST_SHAPES:
            raise problem("cost takes one of {monthly: n}, {hourly: n, hours_per_month: h}, "
                          "{daily: n, days_per_week: d} or {project: n, months: m}; found "
                          + ("{" + ", ".join(sorted(given)) + "}" if given else "no amount"))
        return self

    @property
    def basis(self) -> str:
        """monthly, hourly, daily or project."""
        return next(k for k in ("monthly", "hourly", "daily", "project")
                    if getattr(self, k) is not None)

    @property
    def per_month(self) -> float:
        """The monthly cost of the engagement (a project: its fee ÷ its months)."""
        if self.monthly is not None:
            return self.monthly
        if self.hourly is not None and self.hours_per_month is not None:
            return self.hourly * self.hours_per_month
        if self.daily is not None and self.days_per_week is not None:
            return self.daily * self.days_per_week * 52 / 12
        assert self.project is not None and self.months is not None
        return self.project / self.months


class Role(Section):
    """A role on the marketing team, filled or to hire."""

    id: Slug
    title: Text
    kind: RoleKind = RoleKind.FULL_TIME
    status: RoleStatus = RoleStatus.OPEN
    reports_to: Slug | None = Field(None, description="A role id.")
    mission: Text | None = None
    responsibilities: TextList = Field(default_factory=list)
    skills: TextList = Field(default_factory=list)
    kpis: TextList = Field(default_factory=list)
    needed_by: Slug | None = Field(None, description="A phase id (its start), or a date "
                                                     "(YYYY-MM-DD); a value that is a phase id "
                                                     "is that phase.")
    priority: Annotated[Integer, Field(ge=1, le=3)] | None = Field(
        None, description="1, 2 or 3; replaces the computed tier.")
    hiring_lead_days: Annotated[Integer, Field(ge=0, le=730)] | None = Field(
        None, description="Days from opening this role's requisition to the hire starting; "
                          "default launch.hiring_lead_days.")
    cost: Cost | None = None

    @field_validator("needed_by", mode="before")
    @classmethod
    def _date_or_phase(cls, value: Any) -> Any:
        # Whether it names a phase or a date is decided against the phases (needed_by_target),
        # so that a phase id shaped like a date is still that phase.
        if isinstance(value, str) and not re.match(SLUG_PATTERN, value):
            raise problem(f"expected a phase id or a date as YYYY-MM-DD, found "
                          f"{describe(value)}")
        return value


def needed_by_target(role: Role, phase_ids: Collection[str]) -> dt.date | str | None:
    """What `needed_by` names: the phase id when a phase has that id, else the date it spells;
    None when it is absent or neither (validation reports the latter)."""
    value = role.needed_by
    if value is None or value in phase_ids:
        return value
    if re.match(DATE_PATTERN, value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
        return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
    return None


class OneOffCost(Section):
    """A cost paid once: a launch event, a video shoot."""

    name: Text
    amount: Amount = Field(description="Money in client.currency.")
    date: IsoDate = Field(description="Counted in the month of this date.")
    channel: Slug | None = Field(None, description="A channel id: counted in that channel's "
                                                   "spend too.")


class ApprovedBudget(Section):
    """What the client approved, and the horizon the budget, team cost and funnel cover."""

    total: Amount | None = Field(None, description="The budget approved for the horizon.")
    months: Annotated[Integer, Field(ge=1, le=60)] | None = Field(
        None, description="Calendar months from launch.date the budget covers; default the "
                          "message sequence's length.")
    one_off: list[OneOffCost] = Field(default_factory=list, max_length=MAX_ITEMS,
                                      description="Costs paid once.")


class Summary(Section):
    """What the executive summary opens with; any key left out is written from the plan."""

    situation: Text | None = Field(None, description="Where the client stands and why this "
                                                     "launch, in a few sentences.")
    recommendation: Text | None = Field(None, description="What the playbook recommends, in "
                                                          "a few sentences.")
    decisions: Annotated[TextList, Field(max_length=MAX_ITEMS)] | None = Field(
        None, description="What the client must decide; an empty list: nothing to decide.")


class Risk(Section):
    """A risk to the launch, how it is mitigated, and who watches it."""

    risk: Text = Field(description="What could go wrong.")
    mitigation: Text | None = Field(None, description="What is done about it.")
    owner: Slug | None = Field(None, description="The role id that watches it.")


class NextStep(Section):
    """One thing to do next, who does it, and by when."""

    step: Text = Field(description="What to do.")
    owner: Slug = Field(description="The role id that does it.")
    date: IsoDate | None = Field(None, description="When it is done by.")


class InHouse(Section):
    """The in-house alternative to the engagement: a full-time hire's salary and the employer's
    costs on top of it."""

    salary: Amount | None = Field(
        None, description="Annual salary of the full-time hire; default the successor role's "
                          "cost × 12, else 174000 (a full-time CMO's salary).")
    on_cost: Annotated[Number, Field(ge=0, le=1)] | None = Field(
        None, description="Employer's costs on top of the salary, as a share (0.25 = 25%); "
                          "default 0.")


_ENGAGEMENT_KEYS = {"hourly": ({"rate", "hours"}, set()),
                    "retainer": ({"monthly_fee"}, {"hours"}),
                    "project": ({"fee", "months"}, {"hours"})}


class Engagement(Section):
    """The consultant's own role: how it is paid, when it starts, and when an in-house hire
    takes it over."""

    model: EngagementModel = Field(description="hourly, retainer or project.")
    rate: Amount | None = Field(None, description="Hourly: money per hour.")
    hours: HourCount | None = Field(None, description="Hours per month (hourly: required; "
                                                      "retainer and project: shown).")
    monthly_fee: Amount | None = Field(None, description="Retainer: the fee per month.")
    fee: Amount | None = Field(None, description="Project: the fee for the whole project.")
    months: Annotated[Integer, Field(ge=1, le=60)] | None = Field(
        None, description="Project: calendar months the fee is spread over.")
    start: IsoDate = Field(description="First day of the engagement.")
    end: IsoDate | None = Field(None, description="Last day of the engagement; or handover.")
    handover: IsoDate | None = Field(None, description="The day the in-house successor takes "
                                                       "over (the engagement ends the day "
                                                       "before); or end.")
    successor: Slug | None = Field(None, description="The role id of the in-house hire that "
                                                     "takes over.")
    in_house: InHouse | None = Field(None, description="The in-house alternative's cost.")

    @model_validator(mode="after")
    def _keys_of_model(self) -> Engagement:
        needed, optional = _ENGAGEMENT_KEYS[self.model]
        given = {k for k in ("rate", "hours", "monthly_fee", "fee", "months")
                 if getattr(self, k) is not None}
        if missing := sorted(needed - given):
            raise problem(f"a {self.model} engagement needs {' and '.join(missing)}")
        if extra := sorted(given - needed - optional):
            raise problem(f"a {self.model} engagement does not take {', '.join(extra)}; "
                          f"it takes {', '.join(sorted(needed | optional))}")
        if self.end is not None and self.handover is not None:
            raise problem("give the engagement's last day as 'end' or the successor's first "
                          "day as 'handover', not both")
        return self

    @property
    def per_month(self) -> float:
        """What the engagement costs a month (a project: its fee ÷ its months)."""
        if self.rate is not None and self.hours is not None:
            return self.rate * self.hours
        if self.monthly_fee is not None:
            return self.monthly_fee
        assert self.fee is not None and self.months is not None
        return self.fee / self.months

    @property
    def handover_date(self) -> dt.date | None:
        """The successor's first day: `handover`, else the day after `end`."""
        if self.end is not None:
            return self.end + dt.timedelta(days=1)
        return self.handover


class Raci(Section):
    """A stakeholder's part, R, A, C or I, in each phase, partner and operating review."""

    phases: dict[Slug, RaciLetter] = Field(default_factory=dict,
                                           description="Phase id → R, A, C or I.")
    partners: dict[Slug, RaciLetter] = Field(default_factory=dict,
                                             description="Partner id → R, A, C or I.")
    reviews: dict[Slug, RaciLetter] = Field(
        default_factory=dict, description="Review, as launch.reviews writes it (90, 3m) → R, "
                                          "A, C or I.")

    @field_validator("phases", "partners", "reviews", mode="before")
    @classmethod
    def _letters(cls, value: Any) -> Any:
        # r and R are the same letter; x- keys are the author's own, as everywhere.
        if not isinstance(value, dict):
            return value
        return {k: v.upper() if isinstance(v, str) and len(v.strip()) == 1 else v
                for k, v in value.items() if not _is_author_key(k)}


class Stakeholder(Section):
    """Someone at the client who owns or signs part of the plan."""

    id: Slug
    name: Text
    function: StakeholderFunction = Field(description="ceo, founder, board, sales, marketing, "
                                                      "customer-success, support, product, "
                                                      "engineering, operations, finance, hr, "
                                                      "legal or consultant.")
    raci: Raci = Field(default_factory=lambda: Raci(),
                       description="R, A, C or I per phase, partner and review.")


class Approval(Section):
    """A signature: who approved which version of the playbook, and when."""

    name: Text = Field(description="Who approved it.")
    role: Text | None = Field(None, description="Their role, as printed (CEO, CFO).")
    version: Text = Field(description="The client.version they approved.")
    date: IsoDate = Field(description="The day they approved it.")


MAX_STAKEHOLDERS = 40  # each is a column of the ownership table

MAX_SCENARIOS = 12  # each scenario runs the whole budget plan again
# A scenario multiplier: more than 0, at most 10 (a tenfold budget is already another plan).
Multiplier = Annotated[Number, Field(gt=0, le=10)]
# Scalars are read as text, so a yes/no value may arrive as the text "true" (pydantic reads it).
Flag = Annotated[bool, WithJsonSchema({"anyOf": [
    {"type": "boolean"},
    {"type": "string", "pattern": "^(true|false|True|False|TRUE|FALSE|yes|no|Yes|No|YES|NO)$"},
]})]


class ChannelChange(Section):
    """One channel in a scenario: its monthly budget or its CPL in place of the playbook's."""

    budget: Amount | None = Field(None, description="The channel's monthly budget in this "
                                                    "scenario, in place of its own (the "
                                                    "scenario's budget multiplier is not "
                                                    "applied on top).")
    cpl: Annotated[Money, Field(gt=0)] | None = Field(
        None, description="The channel's cost per lead in this scenario, in place of its own "
                          "or the playbook's (the scenario's cpl multiplier is not applied on "
                          "top).")


class HireChange(Section):
    """One open role in a scenario: not hired at all, or needed on another day."""

    drop: Flag | None = Field(None, description="true: the role is not hired in this "
                                                "scenario (its cost leaves the plan).")
    needed_by: Slug | None = Field(None, description="A phase id (its start) or a date "
                                                     "(YYYY-MM-DD): the day the role is needed "
                                                     "in this scenario.")

    @field_validator("needed_by", mode="before")
    @classmethod
    def _date_or_phase(cls, value: Any) -> Any:
        return Role._date_or_phase(value)

    @model_validator(mode="after")
    def _one_change(self) -> HireChange:
        if self.drop and self.needed_by is not None:
            raise problem("a hire is either dropped (drop: true) or moved (needed_by), not both")
        if not self.drop and self.needed_by is None:
            raise problem("say what changes: drop: true, or needed_by: a phase id or a date")
        return self


class Scenario(Section):
    """A variant of the plan: the playbook as written with some of its numbers changed."""

    id: Slug
    name: Text
    budget: Multiplier | None = Field(None, description="Multiplies every channel's monthly "
                                                        "budget (0.8: a fifth less).")
    cpl: Multiplier | None = Field(None, description="Multiplies every cost per lead: the "
                                                     "channels' own and the playbook's.")
    conversion: Multiplier | None = Field(None, description="Multiplies kpis.conversion_rate.")
    conversion_rate: Annotated[Number, Field(ge=0, le=1)] | None = Field(
        None, description="The conversion rate in this scenario, in place of "
                          "kpis.conversion_rate; not together with conversion.")
    channels: dict[Slug, ChannelChange] = Field(
        default_factory=dict, max_length=MAX_ITEMS,
        description="Channel id → its budget or CPL in this scenario.")
    hires: dict[Slug, HireChange] = Field(
        default_factory=dict, max_length=MAX_ROLES,
        description="Open role id → dropped, or needed on another day, in this scenario.")

    @model_validator(mode="after")
    def _one_conversion(self) -> Scenario:
        if self.conversion is not None and self.conversion_rate is not None:
            raise problem("give conversion (a multiplier) or conversion_rate (the rate), "
                          "not both")
        return self

    @property
    def changes(self) -> bool:
        """Whether the scenario changes anything in the playbook as written."""
        return any(value is not None for value in (self.budget, self.cpl, self.conversion,
                                                   self.conversion_rate)) \
            or bool(self.channels) or bool(self.hires)


class Playbook(Section):
    """A go-to-market playbook, format version 1."""

    gtmgen: Integer = Field(description="Format version; always 1.")
    client: Client = Field(description="Who the deliverables are for, and how they print.")
    launch: Launch = Field(description="The launch date and the working days.")
    segments: list[Segment] = Field(default_factory=list, max_length=MAX_ITEMS,
                                    description="Market segments.")
    icps: list[Icp] = Field(default_factory=list, max_length=MAX_ITEMS,
                            description="Ideal customer profiles.")
    personas: list[Persona] = Field(default_factory=list, max_length=MAX_ITEMS,
                                    description="Buyers and users.")
    partners: list[Partner] = Field(default_factory=list, max_length=MAX_ITEMS,
                                    description="Launch partners.")
    channels: list[Channel] = Field(default_factory=list, max_length=MAX_ITEMS,
                                    description="Marketing channels.")
    messages: Messages = Field(description="The pillar and the message sequence.")
    roles: list[Role] = Field(default_factory=list, max_length=MAX_ROLES,
                              description="The team, filled and to hire.")
    kpis: KpiTargets = Field(description="Metric → target (a number, or tbd: to be "
                                         "decided); cac, ltv, cpl, mrr, conversion_rate and "
                                         "payback_months are known.")
    budget: ApprovedBudget | None = Field(None, description="The approved budget, its "
                                                            "horizon and one-off costs.")
    summary: Summary | None = Field(None, description="The situation, the recommendation and "
                                                      "the decisions to take; written from "
                                                      "the plan when left out.")
    assumptions: TextList = Field(default_factory=list, max_length=MAX_ITEMS,
                                  description="What the plan takes for granted.")
    risks: list[Risk] = Field(default_factory=list, max_length=MAX_ITEMS,
                              description="Risks, their mitigation and owner.")
    next_steps: list[NextStep] = Field(default_factory=list, max_length=MAX_ITEMS,
                                       description="What happens next, who does it, by when.")
    engagement: Engagement | None = Field(None, description="The consultant's own role, its "
                                                            "cost against an in-house hire, "
                                                            "and the handover.")
    stakeholders: list[Stakeholder] = Field(default_factory=list, max_length=MAX_STAKEHOLDERS,
                                            description="Who owns the plan: R, A, C or I per "
                                                        "phase, partner and review.")
    approvals: list[Approval] = Field(default_factory=list, max_length=MAX_ITEMS,
                                      description="Who signed which version, and when.")

    competitors: list[Competitor] = Field(default_factory=list, max_length=MAX_ITEMS,
                                          description="Competitors and other alternatives.")
    positioning: Positioning | None = Field(None, description="The positioning statement.")
    brand: BrandVoice | None = Field(None, description="How the brand speaks: voice and "
                                                       "pillars (client.brand is its look).")

    elsewhere: ClassVar[dict[str, str]] = {
        key: f"'{key}' belongs in the 'brand:' section (how the brand speaks)"
        for key in ("voice", "pillars")}

    scenarios: list[Scenario] | None = Field(
        None, max_length=MAX_SCENARIOS,
        description="Variants of the plan (lean, aggressive…) shown side by side with the "
                    "playbook as written, which is the base scenario; given (even empty), the "
                    "playbook also shows the return per channel.")

    @field_validator("gtmgen")
    @classmethod
    def _version(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise problem(f"this gtmgen reads playbook format {FORMAT_VERSION}; the file says "
                          f"{value}")
        return value

