using System.Diagnostics;
using System.Globalization;

namespace Hotline.Benchmarks;

/// <summary>CPU time used by this process and by its child processes (Azurite) at one instant.</summary>
internal readonly record struct CpuSample(TimeSpan Self, TimeSpan Children, TimeSpan Machine, long Timestamp)
{
    // On a 2-core machine the benchmark and Azurite compete for the same cores, and with whatever else runs there
    // (other people's builds and tests); the split shows which side saturates and how disturbed the run was.
    public static CpuSample Take() =>
        new(Process.GetCurrentProcess().TotalProcessorTime, ChildrenCpu(), MachineBusy(), Stopwatch.GetTimestamp());

    public CpuUse Since(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
        var self = Self - start.Self;
        var children = Children - start.Children;
        var others = Machine - start.Machine - self - children;
        return new CpuUse(wall, self, children, others < TimeSpan.Zero ? TimeSpan.Zero : others);
    }

    /// <summary>Busy time of all cores since boot (/proc/stat: everything but idle and iowait).</summary>
    private static TimeSpan MachineBusy()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f.Length > 7 ? f[7] : 0);
            return TimeSpan.FromMilliseconds(busy * 10);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>User plus system time of every live descendant, from /proc (Linux); zero elsewhere.</summary>
    private static TimeSpan ChildrenCpu()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // The command name (field 2) may hold spaces and parentheses; the fixed fields follow its last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }
        var self = Environment.ProcessId;
        long total = 0;
        foreach (var (pid, t) in ticks)
        {
            for (var p = parents.GetValueOrDefault(pid); p > 1; p = parents.GetValueOrDefault(p))
            {
                if (p == self)
                {
                    total += t;
                    break;
                }
            }
        }
        // USER_HZ is 100 on every Linux this runs on.
        return TimeSpan.FromMilliseconds(total * 10);
    }
}

internal readonly record struct CpuUse(TimeSpan Wall, TimeSpan Self, TimeSpan Azurite, TimeSpan Others)
{
    public double OtherCores => Wall.TotalSeconds <= 0 ? 0 : Others.TotalSeconds / Wall.TotalSeconds;

    public string Describe(long operations)
    {
        var wall = Wall.TotalSeconds <= 0 ? 1 : Wall.TotalSeconds;
        var per = operations > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; per operation {Self.TotalMilliseconds / operations:0.00} ms here + {Azurite.TotalMilliseconds / operations:0.00} ms Azurite")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU: this process {Self.TotalSeconds / wall:0.00} cores, Azurite {Azurite.TotalSeconds / wall:0.00}, other processes {OtherCores:0.00}, of {Environment.ProcessorCount}{per}");
    }
}
