using System.Text.Json;
using Azure.Data.Tables;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;

namespace Hotline.Runtime.Projections;

/// <summary>
/// One open matter with long-term work, for supervisors: <paramref name="Kind"/> is longRunning, legalProcedure,
/// finalReport (a procedure ended and its final situation is due) or escalation.
/// </summary>
/// <param name="Owner">Who acts now: the guidance department that supervises a long-running matter, the escalation's owner, else the organizer.</param>
/// <param name="DueBy">The long-term deadline: the plan or next staged feedback, the final report, the escalation's clock; none while a procedure runs.</param>
public sealed record LongTermItem(string MatterId, string Title, string? Organizer, MatterStatus Status, string Kind, string? Owner, string? Stage,
    DateTimeOffset Since, DateTimeOffset? DueBy, bool Overdue);

public sealed partial class MatterIndex
{
    /// <summary>
    /// The open matters with long-term work, soonest deadline first. A query over the whole index by one column: these
    /// matters are few (long-running, in a procedure or escalated), so one filtered scan serves the dashboard.
    /// </summary>
    public async Task<IReadOnlyList<LongTermItem>> LongTermAsync(DateTimeOffset now, string? kind = null, CancellationToken cancellationToken = default)
    {
        var filter = kind is null ? "LongTerm gt ''" : TableClient.CreateQueryFilter($"LongTerm eq {kind}");
        var items = new List<LongTermItem>();
        await foreach (var e in index.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var due = e.GetDateTimeOffset("LongTermDueBy") is { } d ? ChinaTime.ToChina(d) : (DateTimeOffset?)null;
            items.Add(new LongTermItem(e.RowKey, e.GetString("Title") ?? "", e.GetString("Organizer"),
                Enum.Parse<MatterStatus>(e.GetString("Status") ?? "", ignoreCase: true), e.GetString("LongTerm")!, e.GetString("LongTermOwner"),
                e.GetString("LongTermStage"), ChinaTime.ToChina(e.GetDateTimeOffset("LongTermSince") ?? default), due, due < now));
        }
        return [.. items.OrderBy(i => i.DueBy ?? DateTimeOffset.MaxValue).ThenBy(i => i.MatterId, StringComparer.Ordinal)];
    }

    /// <summary>The long-term columns of an open matter; a closed one (or one with no long-term work) has none.</summary>
    private static void LongTermColumns(Matter m, TableEntity row)
    {
        if (m.IsTerminal) return;
        var lt = m.LongTerm;
        // A held deadline is no deadline: the matter must not show, or filter, as overdue on it (Guangzhou; Weifang 23).
        if (lt.ClockHeld) row.Remove("DueBy");
        var (kind, owner, stage, since, due) = lt switch
        {
            { LongRunningActive: true, LongRunning: { } r } => ("longRunning", r.GuidanceDepartment, r.Plan is null ? "plan" : "stagedFeedback", r.MarkedAt,
                r.Plan is null ? r.PlanBy : r.NextFeedbackBy),
            { LegalProcedureRunning: true, LegalProcedure: { } p } => ("legalProcedure", m.Organizer, Camel(p.Kind.ToString()), p.StartedAt, null),
            { EscalationOpen: true, Escalation: { } x } => ("escalation", x.Owner, Camel(x.Stage.ToString()), x.At, x.DueBy),
            { LegalProcedure: { EndedAt: { } ended, ReportBy: { } reportBy } } when lt.FinalReportDue(m) => ("finalReport", m.Organizer, null, ended, reportBy),
            _ => ((string?)null, (string?)null, (string?)null, default(DateTimeOffset), (DateTimeOffset?)null),
        };
        if (kind is null) return;
        row["LongTerm"] = kind;
        row["LongTermSince"] = since;
        if (owner is not null) row["LongTermOwner"] = owner;
        if (stage is not null) row["LongTermStage"] = stage;
        if (due is { } at) row["LongTermDueBy"] = at;
    }

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
