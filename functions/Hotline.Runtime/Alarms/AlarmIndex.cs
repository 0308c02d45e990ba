using System.Globalization;
using Azure;
using Hotline.Orchestrations.Lifecycle;
using Azure.Data.Tables;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Alarms;

/// <summary>A scheduled wake-up for a matter: a lifecycle alarm, or a sweep for effects a crash may have stranded.</summary>
public sealed record ScheduledAlarm(string MatterId, string Kind, DateTimeOffset At)
{
    public const string SweepKind = "sweep";

    public bool IsSweep => Kind == SweepKind;

    /// <summary>The lifecycle alarm this wakes up for (null for a sweep).</summary>
    public Alarm? ToAlarm() => IsSweep ? null : new Alarm(Enum.Parse<AlarmKind>(Kind, ignoreCase: true), At);

    public static ScheduledAlarm For(string matterId, Alarm alarm) =>
        new(matterId, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(alarm.Kind.ToString()), alarm.At);
}

/// <summary>An alarm this host holds the lease of until it completes it or the lease runs out.</summary>
public sealed record ClaimedAlarm(ScheduledAlarm Alarm, ETag ETag);

/// <summary>
/// The durable timer index (table <c>Alarms</c>). Rows are partitioned by the UTC hour they fall due, keyed by due
/// instant, matter and kind, so scheduling the same alarm twice is one row. A poll reads the due rows of past and
/// current hours only; fired rows are deleted, so that range stays small however many alarms lie in the future.
/// Hosts claim a row by writing a lease under its ETag: with two hosts polling, one wins, and a host that dies
/// holding a lease only delays the alarm until the lease ends (at-least-once).
/// </summary>
public sealed class AlarmIndex(TableClient alarms)
{
    public Task ScheduleAsync(ScheduledAlarm alarm, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(RowKey(alarm), "RowKey");
        return alarms.UpsertEntityAsync(new TableEntity(Partition(alarm.At), RowKey(alarm))
        {
            ["MatterId"] = alarm.MatterId,
            ["Kind"] = alarm.Kind,
            ["At"] = alarm.At,
            ["LeaseUntil"] = DateTimeOffset.UnixEpoch,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Claims up to <paramref name="max"/> alarms due at <paramref name="now"/> whose lease is free.</summary>
    public async Task<IReadOnlyList<ClaimedAlarm>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {Partition(now)} and At le {now} and LeaseUntil le {now}");
        // A query over several partitions may answer with few or no rows and a continuation token (Azure does at
        // partition boundaries): follow the tokens until rows come or none are left, or due alarms would wait.
        var rows = new List<TableEntity>();
        string? continuation = null;
        do
        {
            var page = await alarms.QueryPageAsync(filter, top: Math.Clamp(max - rows.Count, 1, 1000), continuation: continuation, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            rows.AddRange(page.Entities);
            continuation = page.ContinuationToken;
        }
        while (rows.Count < max && continuation is not null);

        var claimed = new List<ClaimedAlarm>();
        foreach (var row in rows)
        {
            var claim = new TableEntity(row.PartitionKey, row.RowKey) { ["LeaseUntil"] = now + lease };
            try
            {
                var response = await alarms.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                claimed.Add(new ClaimedAlarm(new ScheduledAlarm(row.GetString("MatterId")!, row.GetString("Kind")!, row.GetDateTimeOffset("At")!.Value), response.NewETag()));
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Another host claimed or completed it first.
            }
        }
        return claimed;
    }

    /// <summary>Removes a handled alarm; if the lease ran out and another host holds it now, that host completes it.</summary>
    public async Task CompleteAsync(ClaimedAlarm claimed, CancellationToken cancellationToken = default)
    {
        try
        {
            await alarms.DeleteEntityAsync(Partition(claimed.Alarm.At), RowKey(claimed.Alarm), claimed.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
        }
    }

    /// <summary>Removes an alarm that is no longer needed (a sweep whose effects already ran).</summary>
    public async Task CancelAsync(ScheduledAlarm alarm, CancellationToken cancellationToken = default)
    {
        try
        {
            await alarms.DeleteEntityAsync(Partition(alarm.At), RowKey(alarm), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>How many alarms are scheduled at or before <paramref name="until"/> (for health and benchmarks).</summary>
    public async Task<int> CountDueAsync(DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await foreach (var _ in alarms.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey le {Partition(until)} and At le {until}"), select: ["At"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }
        return count;
    }

    private static string Partition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static string RowKey(ScheduledAlarm a) =>
        a.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + a.MatterId + "-" + a.Kind;
}
