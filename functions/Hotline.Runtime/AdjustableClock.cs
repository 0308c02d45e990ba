namespace Hotline.Runtime;

/// <summary>
/// A clock that can be set and advanced, for the Development environment and tests, so that every deadline can
/// be reached end to end without waiting. It runs on from where it was set, at the pace of the real clock.
/// </summary>
public sealed class AdjustableClock(TimeProvider real) : TimeProvider
{
    private long _offsetTicks;

    public AdjustableClock() : this(System) { }

    /// <summary>A clock that stands still except when set or advanced: tests then know every instant exactly.</summary>
    public static AdjustableClock Frozen(DateTimeOffset at)
    {
        var clock = new AdjustableClock(new StillClock(at));
        return clock;
    }

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _offsetTicks, (now - real.GetUtcNow()).Ticks);

    /// <exception cref="ArgumentOutOfRangeException">A clock goes forward only.</exception>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    private sealed class StillClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
