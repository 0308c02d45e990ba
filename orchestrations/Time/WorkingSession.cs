namespace Hotline.Orchestrations.Time;

/// <summary>One stretch of office hours within a working day, [Start, End).</summary>
/// <remarks>"Half a working day" in the regulations is one session (morning or afternoon).</remarks>
public sealed record WorkingSession(TimeOnly Start, TimeOnly End)
{
    // Get-only properties (rather than init) so that a `with` expression cannot bypass the check.
    public TimeOnly Start { get; } = Start < End
        ? Start
        : throw new ArgumentException($"A working session must start before it ends (got {Start:HH:mm}-{End:HH:mm}).", nameof(Start));

    public TimeOnly End { get; } = End;

    public TimeSpan Length => End - Start;

    public override string ToString() => $"{Start:HH:mm}-{End:HH:mm}";
}
