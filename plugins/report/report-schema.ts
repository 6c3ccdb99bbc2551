import { type Static, Type } from '@sinclair/typebox';

/**
 * The report definition language: JSON files an administrator edits (`plugins/report/reports/`).
 * The schema is the only source of the type; `loadReport` checks what a schema cannot say.
 */

const Text = Type.Object(
  { 'zh-CN': Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
const Id = Type.String({ pattern: '^[a-z][a-zA-Z0-9_-]*$', description: 'kebab- or camelCase id' });
const Rule = Type.Unknown({ description: 'A JSON Logic rule' });

export const MEASURE_OPS = ['sum', 'count', 'avg', 'min', 'max', 'distinct'] as const;
export const CELL_FORMATS = ['text', 'integer', 'number', 'money', 'date'] as const;
export const REPORT_KINDS = ['aggregate', 'list', 'status', 'document'] as const;

/** A measure of an aggregate report: one column of figures, folded per group. */
export const Measure = Type.Object(
  {
    id: Id,
    label: Text,
    op: Type.Union(MEASURE_OPS.map((o) => Type.Literal(o))),
    /** A `var` path: a field (`householdSize`) or, with `source.rows`, a column (`row.visits`). Absent for count. */
    field: Type.Optional(Type.String({ minLength: 1 })),
    unit: Type.Optional(Type.String()),
    format: Type.Optional(Type.Union(CELL_FORMATS.map((f) => Type.Literal(f)))),
  },
  { additionalProperties: false },
);
export type Measure = Static<typeof Measure>;

/** A column of a list report: a JSON Logic value over `{ data, decision, org, submission, workflow, seq }`. */
export const ListColumn = Type.Object(
  {
    id: Id,
    label: Text,
    value: Rule,
    unit: Type.Optional(Type.String()),
    format: Type.Optional(Type.Union(CELL_FORMATS.map((f) => Type.Literal(f)))),
    /** Shows option labels instead of stored values, read from this field of the source form. */
    options: Type.Optional(Type.String({ minLength: 1 })),
    /** Personal identifiers: masked unless the viewer has `pii`, or always when `always` is set. */
    mask: Type.Optional(Type.Union([Type.Literal('idcard'), Type.Literal('phone')])),
    alwaysMask: Type.Optional(Type.Boolean()),
    /** Added up in the totals (and subtotal) rows. */
    total: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ListColumn = Static<typeof ListColumn>;

export const HeaderGroup = Type.Object(
  {
    label: Text,
    columns: Type.Array(Id, { minItems: 1 }),
    /**
     * A title over columns that carry their own sub-titles (附件1's 通过走访发现并纳入救助范围的对象):
     * printed tables then have three header rows — titles, sub-titles, units.
     */
    top: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type HeaderGroup = Static<typeof HeaderGroup>;

export const ReportSource = Type.Object(
  {
    /** The form whose submissions are the items (one of `form` and `provided`). */
    form: Type.Optional(Id),
    /**
     * A source another plugin provides instead of a form's submissions, `<plugin>.<name>` (e.g.
     * `payments.batch-lines`); its items are read as `data.x` and scoped by their org unit.
     */
    provided: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$' })),
    /**
     * Documents: lines about the printed family that another plugin provides, `<plugin>.<name>`
     * (e.g. `benefits.family`: the household's benefits in force). A family without lines gets no
     * document (`NX_ERR_REPORT_NOTHING_TO_NOTIFY`), never one made up from a rule's suggestion.
     */
    familyLines: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$' })),
    /** Items are the rows of this table field instead of whole submissions. */
    rows: Type.Optional(Id),
    /** The data field holding the period key (else the submission's `period` column). */
    periodField: Type.Optional(Id),
    /** Only the latest submission per submitting unit and period counts (cumulative reports). */
    latestPerUnit: Type.Optional(Type.Boolean()),
    /** Stored rules decisions joined as `decision` (latest per submission). */
    decisions: Type.Optional(
      Type.Object(
        {
          ruleset: Id,
          /**
           * The form the decisions were made on, when it is not the source form: an application's
           * decision is made on its household's survey and filed under the application.
           */
          decidedOn: Type.Optional(Id),
          /**
           * Further rulesets whose stored decisions are joined too, for sources decided by one
           * ruleset or another (an application: the ruleset of its type); a submission's outputs
           * are merged, the earlier ruleset first.
           */
          alsoRulesets: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 4 })),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * One row per record of this register (e.g. households): only each record's current survey,
     * and only records in `statuses` (default active). Without the register's table, every survey.
     */
    register: Type.Optional(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z][a-z0-9_]{0,23}$' }),
          statuses: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Only cases of this workflow whose state is one of `states` (e.g. approved); joined as `workflow`. */
    workflow: Type.Optional(
      Type.Object(
        { id: Id, states: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReportSource = Static<typeof ReportSource>;

export const ReportLayout = Type.Object(
  {
    /** Column order by id; columns not named follow in definition order. */
    order: Type.Optional(Type.Array(Id)),
    /** Two-level header: a group label spanning consecutive columns. */
    groups: Type.Optional(Type.Array(HeaderGroup)),
    /** A totals row (合计) summing every numeric column. */
    total: Type.Optional(Type.Boolean()),
    /** A subtotal row after each county (list reports ordered along the org tree). */
    subtotalBy: Type.Optional(Type.Literal('county')),
    /** First column's label in aggregate reports (the unit column). */
    unitLabel: Type.Optional(Text),
    /** A line under the title, e.g. the cumulative range note. */
    note: Type.Optional(Text),
    /** Lines under the table as on paper (注明 / 说明), printed in order. */
    footnotes: Type.Optional(Type.Array(Text)),
  },
  { additionalProperties: false },
);
export type ReportLayout = Static<typeof ReportLayout>;

export const ReportDefinition = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Id,
    title: Text,
    description: Type.Optional(Text),
    kind: Type.Union(REPORT_KINDS.map((k) => Type.Literal(k))),
    source: ReportSource,
    /** Aggregate and status reports: one row per child unit of the requested org unit. */
    groupBy: Type.Optional(
      Type.Object(
        {
          /** Where an item's org code comes from (`row.county`); default the submitting unit. */
          orgField: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Cumulative figures: from `start` to the end of the month before the period's due date. */
    cumulative: Type.Optional(Type.Object({ start: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) })),
    measures: Type.Optional(Type.Array(Measure, { minItems: 1 })),
    columns: Type.Optional(Type.Array(ListColumn, { minItems: 1 })),
    /** Which items count; compiled once. Aggregate: reads fields and `row.x`; list: `data.x`, `decision.x` … */
    filter: Type.Optional(Rule),
    layout: Type.Optional(ReportLayout),
    /** Handlebars template for HTML (`templates/<name>.hbs`, overridable per org unit). */
    template: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*$' })),
  },
  { additionalProperties: false },
);
export type ReportDefinition = Static<typeof ReportDefinition>;
