using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Hotline.CrashTests;

/// <summary>
/// The local host as a separate OS process, started from its own build output with the Development environment,
/// killed with SIGKILL (no graceful shutdown: nothing gets to flush, finish or cancel) and started again on the same
/// storage. Everything it prints goes to one log file per start, kept for diagnosing a failure.
/// </summary>
internal sealed class LocalHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logDirectory;
    private readonly Queue<string> _tail = new();
    private readonly object _gate = new();
    private readonly HttpClient _probe = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };
    private readonly EventHandler _onTestHostExit;

    private Process? _process;
    private StreamWriter? _log;
    private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _port;
    private volatile bool _killing;

    public LocalHostProcess(IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        _environment = environment;
        _logDirectory = logDirectory;
        // A test run that dies without disposing must not leave a host behind holding a port.
        _onTestHostExit = (_, _) => TryKill(_process);
        AppDomain.CurrentDomain.ProcessExit += _onTestHostExit;
    }

    /// <summary>The build of Hotline.LocalHost this test assembly was built with (recorded by the project file).</summary>
    public static FileInfo HostAssembly
    {
        get
        {
            var path = typeof(LocalHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "HotlineLocalHostPath")?.Value;
            if (string.IsNullOrEmpty(path)) throw new InvalidOperationException("The test assembly does not record where Hotline.LocalHost was built.");
            var file = new FileInfo(path);
            if (!file.Exists || !File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")) || !File.Exists(Path.Combine(file.DirectoryName!, "Data", "organizers.json")))
            {
                throw new InvalidOperationException($"The local host is not built at {path} (with its runtimeconfig and Data/organizers.json); build the test project, which builds it.");
            }
            return file;
        }
    }

    /// <summary>How many times the host has been started (1 for the first run).</summary>
    public int Generation { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    /// <summary>Completes when the host answers its health check; a kill replaces it with one that waits for the restart.</summary>
    public Task WhenUpAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _up.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Starts the host and waits for GET /api/health to answer 200.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (_port == 0 || attempt > 1) _port = FreePort();
            var process = Launch();
            var deadline = DateTime.UtcNow + StartTimeout;
            while (!process.HasExited && DateTime.UtcNow < deadline)
            {
                if (await HealthyAsync(cancellationToken).ConfigureAwait(false))
                {
                    lock (_gate) _up.TrySetResult();
                    return;
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            var exited = process.HasExited;
            _killing = true;
            TryKill(process);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            // Another process may have taken the port between two runs: try once more on a new one.
            if (exited && attempt < 3 && Tail(40).Contains("address already in use", StringComparison.OrdinalIgnoreCase)) continue;
            throw new InvalidOperationException($"The local host (start {Generation}) {(exited ? "exited" : "did not become healthy")} " +
                $"within {StartTimeout.TotalSeconds} s. Log tail:\n{Tail(60)}");
        }
    }

    /// <summary>SIGKILL to the host and its children; returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        lock (_gate) _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = _process;
        if (process is null) return;
        _killing = true;
        TryKill(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        WriteLog($"---- killed by the test at {DateTimeOffset.UtcNow:HH:mm:ss.fff} ----");
    }

    /// <summary>The last lines the host printed (across restarts).</summary>
    public string Tail(int lines)
    {
        lock (_gate) return string.Join('\n', _tail.Skip(Math.Max(0, _tail.Count - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onTestHostExit;
        if (_process is { } process)
        {
            _killing = true;
            TryKill(process);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            process.Dispose();
        }
        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
        }
        _probe.Dispose();
    }

    private Process Launch()
    {
        var host = HostAssembly;
        Generation++;
        var startInfo = new ProcessStartInfo(DotnetExecutable())
        {
            // The content root must hold appsettings*.json and Data/organizers.json: the build output does.
            WorkingDirectory = host.DirectoryName!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        startInfo.ArgumentList.Add(host.FullName);
        startInfo.ArgumentList.Add("--contentRoot");
        startInfo.ArgumentList.Add(host.DirectoryName!);
        foreach (var (key, value) in _environment) startInfo.Environment[key] = value;
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_port}";

        lock (_gate)
        {
            _log?.Dispose();
            _log = new StreamWriter(Path.Combine(_logDirectory, $"host-{Generation:D2}.log"), append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
        }
        WriteLog($"---- start {Generation} on port {_port} at {DateTimeOffset.UtcNow:HH:mm:ss.fff} ----");
        _killing = false;
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        // A host that dies on its own is a finding in itself; say so in the log rather than leave clients guessing.
        process.Exited += (_, _) =>
        {
            if (!_killing) WriteLog($"---- exited by itself at {DateTimeOffset.UtcNow:HH:mm:ss.fff} with code {process.ExitCode} ----");
        };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var previous = _process;
        _process = process;
        previous?.Dispose();
        return process;
    }

    private void OnLine(string? line)
    {
        if (line is not null) WriteLog(line);
    }

    private void WriteLog(string line)
    {
        lock (_gate)
        {
            _log?.WriteLine(line);
            _tail.Enqueue(line);
            while (_tail.Count > 400) _tail.Dequeue();
        }
    }

    private async Task<bool> HealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(BaseAddress, "api/health"), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The same dotnet that runs the tests (the host is framework-dependent).</summary>
    private static string DotnetExecutable()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        return "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryKill(Process? process)
    {
        try
        {
            if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
