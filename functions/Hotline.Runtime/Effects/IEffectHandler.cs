namespace Hotline.Runtime.Effects;

/// <summary>Executes one kind of effect. It may run more than once for the same effect, so it must be idempotent.</summary>
public interface IEffectHandler
{
    string Kind { get; }

    /// <summary>Whether the runner stores the first attempt's instant before running it (SMS repeatability needs it).</summary>
    bool RecordsFirstAttempt => false;

    Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken);
}
