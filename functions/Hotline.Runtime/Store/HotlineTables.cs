using Azure.Data.Tables;

namespace Hotline.Runtime.Store;

/// <summary>The tables of one deployment. A prefix lets tests and benchmarks share one storage account.</summary>
public sealed class HotlineTables
{
    public HotlineTables(TableServiceClient service, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(service);
        TableClient Table(string name) => service.GetTableClient(prefix + name);
        Matters = Table("Matters");
        Alarms = Table("Alarms");
        Intake = Table("Intake");
        MatterIndex = Table("MatterIndex");
        StaffQueues = Table("StaffQueues");
        Facts = Table("MatterFacts");
        Poison = Table("Poison");
        SmsOutbox = Table("SmsOutbox");
        Links = Table("Links");
        Audit = Table("Audit");
        Knowledge = Table("Knowledge");
        Settings = Table("Settings");
        KnowledgeProposals = Table("KnowledgeProposals");
        DuplicateKeys = Table("DuplicateKeys");
        Supervision = Table("Supervision");
        ReportCounters = Table("ReportCounters");
        HotspotCounters = Table("HotspotCounters");
    }

    /// <summary>One partition per matter: its state, its events and its pending effects.</summary>
    public TableClient Matters { get; }

    /// <summary>Pending alarms by due hour, claimed with a lease.</summary>
    public TableClient Alarms { get; }

    /// <summary>channel + channelRef → matter id, so a channel's retry never creates a second matter.</summary>
    public TableClient Intake { get; }

    /// <summary>A summary row per matter for staff queries, by month received.</summary>
    public TableClient MatterIndex { get; }

    /// <summary>The workbench queues: a row per matter waiting for a platform decision, by queue, oldest first.</summary>
    public TableClient StaffQueues { get; }

    /// <summary>The facts the reports are computed from: a row per matter and per assignment, by month received.</summary>
    public TableClient Facts { get; }

    /// <summary>Effects that failed every retry, for staff to see and act on.</summary>
    public TableClient Poison { get; }

    /// <summary>The local SMS outbox (Development): every message "sent", once per repeatability key.</summary>
    public TableClient SmsOutbox { get; }

    /// <summary>Organizer capability links, by hash of their token.</summary>
    public TableClient Links { get; }

    /// <summary>Every disclosure of a citizen's personal data to staff: who, which matter, when.</summary>
    public TableClient Audit { get; }

    /// <summary>Documents staff manage at run time: the organizer directory and the routing table.</summary>
    public TableClient Settings { get; }

    /// <summary>The knowledge base: one partition of articles and the catalog row that versions them.</summary>
    public TableClient Knowledge { get; }

    /// <summary>Organizer units' proposals for the knowledge base, waiting for or decided by the platform's review.</summary>
    public TableClient KnowledgeProposals { get; }

    /// <summary>The keys the duplicate search reads: category and place cell, category and address, citizen; by day.</summary>
    public TableClient DuplicateKeys { get; }

    /// <summary>The matters under supervision now: a copy of their index rows, and nothing else.</summary>
    public TableClient Supervision { get; }

    /// <summary>The organizer report's counters: per CST day, each assignment's contribution and each unit's sum.</summary>
    public TableClient ReportCounters { get; }

    /// <summary>The hotspot report's counters: per CST day, the accepted matters by category and district, and their places.</summary>
    public TableClient HotspotCounters { get; }

    public IEnumerable<TableClient> All => [Matters, Alarms, Intake, MatterIndex, StaffQueues, Facts, Poison, SmsOutbox, Links, Audit, Settings, Knowledge, KnowledgeProposals, DuplicateKeys, Supervision, ReportCounters, HotspotCounters];

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

public static class HotlineTablesStartup
{
    /// <summary>Creates the tables, waiting for storage to come up (the emulator may still be starting).</summary>
    public static async Task CreateWhenReachableAsync(this HotlineTables tables, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                await tables.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or TaskCanceledException or AggregateException
                                       && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
