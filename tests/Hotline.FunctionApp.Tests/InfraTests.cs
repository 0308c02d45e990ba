using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Hotline.FunctionApp.Tests;

/// <summary>
/// infra/ is compiled and linted by the Bicep CLI (NuGet's Azure.Bicep.CommandLine.linux-x64, downloaded by this
/// project), with no warning allowed; azure.yaml points at what exists.
/// </summary>
public sealed class InfraTests
{
    private static string Metadata(string key) =>
        typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string Repository => Metadata("HotlineRepository");

    private static string MainBicep => Path.Combine(Repository, "infra", "main.bicep");

    private static async Task<(int Code, string Output)> Bicep(params string[] args)
    {
        var start = new ProcessStartInfo(Metadata("BicepCli")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // No telemetry, and no attempt to reach a registry: everything infra/ uses is built in.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    [Fact]
    public async Task Main_bicep_builds_to_an_ARM_template_without_warnings()
    {
        var outDir = Directory.CreateTempSubdirectory("hotline-bicep").FullName;
        try
        {
            var (code, output) = await Bicep("build", MainBicep, "--outdir", outDir);
            Assert.True(code == 0, output);
            Assert.DoesNotContain("Warning", output, StringComparison.OrdinalIgnoreCase);
            using var template = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "main.json")));
            var types = template.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("type").GetString()).ToHashSet();
            Assert.Contains("Microsoft.Web/sites", types);
            Assert.Contains("Microsoft.Insights/scheduledQueryRules", types);
            Assert.Contains("Microsoft.Insights/workbooks", types);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public async Task Main_bicep_passes_the_linter_without_warnings()
    {
        var (code, output) = await Bicep("lint", MainBicep);
        Assert.True(code == 0, output);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public void The_alert_rules_and_the_workbook_cover_what_operations_watch()
    {
        var bicep = File.ReadAllText(MainBicep);
        foreach (var alert in new[] { "poison-list", "failure-rate", "calendar-year-missing", "orchestration-failures", "sms-failures" })
        {
            Assert.Contains($"name: '{alert}'", bicep, StringComparison.Ordinal);
        }
        Assert.Contains("param actionGroupId string", bicep, StringComparison.Ordinal);
        var workbook = File.ReadAllText(Path.Combine(Repository, "infra", "workbook.json"));
        foreach (var metric in new[] { "hotline.matters.received", "hotline.matters.overdue", "hotline.alarms.delay", "hotline.sms.sent", "hotline.sms.failed" })
        {
            Assert.Contains(metric, workbook, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Azure_yaml_deploys_the_function_app_with_infra_main()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository, "azure.yaml")).Select(l => l.Trim()).ToArray();
        string Value(string key) => lines.Single(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
        Assert.True(File.Exists(Path.Combine(Repository, Value("project"), "Hotline.FunctionApp.csproj")));
        Assert.Equal(("function", "dotnet", "bicep"), (Value("host"), Value("language"), Value("provider")));
        Assert.True(File.Exists(Path.Combine(Repository, Value("path"), Value("module") + ".bicep")));
    }
}
