namespace Hotline.Orchestrations.Time;

/// <summary>The sessions of every working day, in order. A regulation profile may configure its own.</summary>
public sealed record WorkingDaySchedule
{
    /// <summary>09:00-12:00 and 13:30-17:30.</summary>
    public static WorkingDaySchedule Default { get; } = new([
        new WorkingSession(new TimeOnly(9, 0), new TimeOnly(12, 0)),
        new WorkingSession(new TimeOnly(13, 30), new TimeOnly(17, 30)),
    ]);

    public WorkingDaySchedule(IReadOnlyList<WorkingSession> Sessions)
    {
        ArgumentNullException.ThrowIfNull(Sessions);
        // A schedule without sessions would make every search for working time loop forever.
        if (Sessions.Count == 0)
            throw new ArgumentException("A working day needs at least one session.", nameof(Sessions));
        for (var i = 0; i < Sessions.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(Sessions[i], $"{nameof(Sessions)}[{i}]");
            // Sessions may touch (End == next Start) but not overlap, so no minute is counted twice.
            if (i > 0 && Sessions[i].Start < Sessions[i - 1].End)
                throw new ArgumentException(
                    $"Sessions must be sorted and must not overlap: {Sessions[i - 1]} is followed by {Sessions[i]}.", nameof(Sessions));
        }

        // Copy so that a caller's later change to its list cannot break the validated invariants.
        this.Sessions = Sessions.ToArray().AsReadOnly();
        DailyTotal = TimeSpan.FromTicks(this.Sessions.Sum(s => s.Length.Ticks));
        ShortestSession = this.Sessions.Min(s => s.Length);
    }

    public IReadOnlyList<WorkingSession> Sessions { get; }

    /// <summary>Working time in one whole working day.</summary>
    public TimeSpan DailyTotal { get; }

    /// <summary>The shortest session: the least working time that "half a working day" can mean.</summary>
    public TimeSpan ShortestSession { get; }

    public WorkingSession LastSession => Sessions[^1];

    // A record compares lists by reference; two schedules with the same sessions are the same schedule.
    public bool Equals(WorkingDaySchedule? other) =>
        other is not null && Sessions.SequenceEqual(other.Sessions);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var session in Sessions)
            hash.Add(session);
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", Sessions);

    public void Deconstruct(out IReadOnlyList<WorkingSession> Sessions) => Sessions = this.Sessions;
}
