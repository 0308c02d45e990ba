using Azure;

namespace Hotline.Runtime.Effects;

/// <summary>The kinds of effect a committed change can ask for.</summary>
public static class EffectKinds
{
    /// <summary>Put a lifecycle alarm into the alarm index.</summary>
    public const string Alarm = "alarm";

    /// <summary>Bring the matter's summary row in the staff index up to date.</summary>
    public const string Project = "project";

    /// <summary>Send one SMS for a notice.</summary>
    public const string Sms = "sms";

    /// <summary>Tell the surviving matter that a duplicate was merged into it.</summary>
    public const string Absorb = "absorb";

    /// <summary>Revoke the links a unit holds to the matter: the matter left the unit or closed.</summary>
    public const string RevokeLinks = "revokeLinks";

    /// <summary>
    /// A new matter: write its duplicate keys, look for matters alike, and flag them on it (a moment after intake, so
    /// that the search costs the channel's request nothing).
    /// </summary>
    public const string Duplicates = "duplicates";

    /// <summary>The matter closed: its alarms end (in Azure its orchestration is signalled, so the instance completes).</summary>
    public const string Closed = "closed";
}

/// <summary>An effect planned by a command, before it is stored.</summary>
public sealed record EffectDraft(string Kind, string Payload);

/// <summary>
/// An effect stored with the change that asked for it, executed after the commit, at least once. Its id is
/// unique within the matter and stable across retries, so adapters use it as their idempotency key.
/// </summary>
public sealed record PendingEffect(string MatterId, string Id, string Kind, string Payload, int Attempts, DateTimeOffset NotBefore, string? LastError, ETag ETag)
{
    /// <summary>When the first attempt began, for handlers that record it (see <see cref="IEffectHandler.RecordsFirstAttempt"/>).</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    /// <summary>The matter's history as read with the effect (null when it was not read), for handlers that derive from it.</summary>
    public IReadOnlyList<Hotline.Orchestrations.Lifecycle.MatterEvent>? History { get; init; }

    /// <summary>A key that names this effect everywhere (SMS repeatability, outbox rows).</summary>
    public string IdempotencyKey => $"{MatterId}-{Id}";
}
