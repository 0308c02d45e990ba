using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Hotline.Testing;

/// <summary>
/// A private Azurite (the Azure Storage emulator) for tests: started from the repository's
/// node_modules/.bin/azurite, in memory, on free loopback ports, with telemetry off; the whole process
/// tree is killed on dispose. Tests share one instance per class or collection and keep apart by using
/// unique names (<see cref="StorageNames"/>).
/// </summary>
public sealed partial class AzuriteInstance : IAsyncDisposable
{
    /// <summary>The emulator's well-known account name.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's well-known, public account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly DirectoryInfo _workDirectory;
    private readonly StringBuilder _output;
    private readonly EventHandler _onHostExit;
    private int _disposed;

    private AzuriteInstance(Process process, DirectoryInfo workDirectory, StringBuilder output, EventHandler onHostExit, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _onHostExit = onHostExit;
        _workDirectory = workDirectory;
        _output = output;
        BlobEndpoint = new Uri($"http://127.0.0.1:{blobPort}/{AccountName}");
        QueueEndpoint = new Uri($"http://127.0.0.1:{queuePort}/{AccountName}");
        TableEndpoint = new Uri($"http://127.0.0.1:{tablePort}/{AccountName}");
    }

    /// <summary>Path-style blob endpoint, e.g. http://127.0.0.1:41234/devstoreaccount1.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>Path-style queue endpoint.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>Path-style table endpoint.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>A connection string with the account key and the three explicit endpoints.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>Azurite's console output so far (for diagnosing failures).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts Azurite and waits until all three services listen.
    /// </summary>
    /// <exception cref="InvalidOperationException">Azurite is not installed (run scripts/ensure-tools), or it did not start.</exception>
    public static async Task<AzuriteInstance> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = FindAzurite();
        var workDirectory = Directory.CreateTempSubdirectory("hotline-azurite-");
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workDirectory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in new[]
        {
            "--inMemoryPersistence", "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
            // Longer than HttpClient's 60 s idle timeout, so the client (not the server) drops idle
            // connections and no request races a server-side close.
            "--blobKeepAliveTimeout", "120", "--queueKeepAliveTimeout", "120", "--tableKeepAliveTimeout", "120",
            "--extentMemoryLimit", "256",
        })
        {
            startInfo.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
                var match = ListeningLine().Match(line);
                if (match.Success)
                {
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Azurite exited during startup:\n" + Snapshot(output)));
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            workDirectory.Delete(recursive: true);
            throw new InvalidOperationException($"Could not start Azurite at {executable} (is Node.js installed? run scripts/ensure-tools): {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A test host that exits without disposing must not leave an emulator behind.
        EventHandler onHostExit = (_, _) => TryKill(process);
        AppDomain.CurrentDomain.ProcessExit += onHostExit;

        try
        {
            await ready.Task.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            AppDomain.CurrentDomain.ProcessExit -= onHostExit;
            TryKill(process);
            process.Dispose();
            TryDelete(workDirectory);
            if (e is TimeoutException)
            {
                throw new InvalidOperationException($"Azurite did not report three listening services within {StartTimeout.TotalSeconds} s:\n{Snapshot(output)}", e);
            }
            throw;
        }
        return new AzuriteInstance(process, workDirectory, output, onHostExit, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    /// <summary>
    /// The repository root: the nearest folder holding Hotline.Functions.sln above the test binaries, or,
    /// when they were built elsewhere (an artifacts path outside the clone), above the sources they were built from.
    /// </summary>
    public static DirectoryInfo FindRepositoryRoot()
    {
        var sourceRoot = typeof(AzuriteInstance).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "HotlineSourceRoot")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, sourceRoot, Environment.CurrentDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Hotline.Functions.sln")))
                {
                    return dir;
                }
            }
        }
        throw new InvalidOperationException(
            $"No Hotline.Functions.sln above {AppContext.BaseDirectory} or {sourceRoot}; cannot locate node_modules/.bin/azurite.");
    }

    /// <summary>The Azurite launcher under <paramref name="repositoryRoot"/> (default: <see cref="FindRepositoryRoot"/>).</summary>
    /// <exception cref="InvalidOperationException">It is not installed; the message says to run scripts/ensure-tools.</exception>
    public static string FindAzurite(DirectoryInfo? repositoryRoot = null)
    {
        var root = repositoryRoot ?? FindRepositoryRoot();
        var name = OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite";
        var path = Path.Combine(root.FullName, "node_modules", ".bin", name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Azurite is not installed ({path} is missing): run scripts/ensure-tools from {root.FullName}.");
        }
        return path;
    }

    /// <summary>Kills Azurite and its children and removes its working folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= _onHostExit;
        TryKill(_process);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Reported below through HasExited; nothing else to do.
            }
        }
        _process.Dispose();
        TryDelete(_workDirectory);
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at https?://[^:\s]+:(\d+)")]
    private static partial Regex ListeningLine();
}
