namespace Hotline.Runtime.Effects;

/// <summary>Executes one kind of effect. It may run more than once for the same effect, so it must be idempotent.</summary>
public interface IEffectHandler
{
    string Kind { get; }

    Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken);
}
