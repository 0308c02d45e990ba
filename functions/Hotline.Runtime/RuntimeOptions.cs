namespace Hotline.Runtime;

/// <summary>Tuning of the runtime. Defaults suit production; tests shorten the delays.</summary>
public sealed record RuntimeOptions
{
    /// <summary>How long after a commit the safety sweep looks for effects a crashed process left behind.</summary>
    public TimeSpan SweepDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed alarm is reserved for the host that claimed it.</summary>
    public TimeSpan AlarmLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the alarm pump looks for due alarms.</summary>
    public TimeSpan AlarmPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>At most this many alarms are claimed per poll.</summary>
    public int AlarmBatchSize { get; init; } = 100;

    /// <summary>After this many failed attempts an effect goes to the poison list.</summary>
    public int MaxEffectAttempts { get; init; } = 8;

    /// <summary>The first retry delay of a failed effect; it doubles with each attempt.</summary>
    public TimeSpan EffectRetryBase { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a command is retried when another writer changed the matter first.</summary>
    public int MaxConcurrencyRetries { get; init; } = 32;

    /// <summary>The public base address of the organizer pages, used in SMS links.</summary>
    public Uri PublicBaseUri { get; init; } = new("http://127.0.0.1:7071/");

    /// <summary>How long an organizer link stays valid at most (it also ends when the matter leaves the unit).</summary>
    public TimeSpan LinkLifetime { get; init; } = TimeSpan.FromDays(60);

    /// <summary>Run effects before answering (Azure Functions, where work after the response is not guaranteed) or in the background.</summary>
    public bool RunEffectsInline { get; init; }

    /// <summary>How far back intake looks for possible duplicates.</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How near two matters of one category must be to count as possible duplicates.</summary>
    public double DuplicateRadiusMeters { get; init; } = 200;

    /// <summary>How often each host re-reads the organizer directory and routing table.</summary>
    public TimeSpan DirectoryRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each host re-reads the installed holiday schedules; a year installed anywhere is in force everywhere within it.</summary>
    public TimeSpan CalendarRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many background workers run effects.</summary>
    public int EffectWorkers { get; init; } = 16; // effects wait on storage and SMS, not on the CPU
}
