using System.Diagnostics;
using System.Text.Json;
using Hotline.Testing;

namespace Hotline.Sms.Tests;

/// <summary>
/// Runs the official @azure/communication-sms SmsClient in a child node process: one send through a connection
/// string, plus the `uuid` package's version-5 UUID of a name (the SDK depends on it) as an independent reference.
/// </summary>
public static class JavaScriptSdk
{
    private const string Script = """
        const input = JSON.parse(process.env.HOTLINE_ACS_INPUT);
        const { SmsClient } = require(input.sdk);
        const uuid = require(require.resolve('uuid', { paths: [input.sdk] }));
        (async () => {
          const client = new SmsClient(input.connectionString);
          const results = await client.send(
            { from: input.from, to: [input.to], message: input.message },
            { enableDeliveryReport: true, tag: input.tag });
          process.stdout.write(JSON.stringify({ results, uuidV5: uuid.v5(input.uuidName, input.uuidNamespace) }));
        })().catch(e => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); });
        """;

    public sealed record Result(JsonElement Results, Guid UuidV5);

    /// <summary>The installed SDK package folder; fails with what to run when it is missing.</summary>
    public static string SdkDirectory()
    {
        var root = AzuriteInstance.FindRepositoryRoot();
        var sdk = Path.Combine(root.FullName, "node_modules", "@azure", "communication-sms");
        if (!File.Exists(Path.Combine(sdk, "package.json")))
        {
            Assert.Fail($"The official JavaScript SDK is not installed ({sdk} is missing): run scripts/ensure-tools, " +
                $"or `npm ci` in {root.FullName} when Azurite is already installed (package.json lists @azure/communication-sms).");
        }
        return sdk;
    }

    public static async Task<Result> SendAsync(
        string connectionString, string from, string to, string message, string tag, string caCertificatePem,
        Guid uuidNamespace, string uuidName)
    {
        var sdk = SdkDirectory();
        var directory = Directory.CreateTempSubdirectory("hotline-acs-js-");
        try
        {
            var script = Path.Combine(directory.FullName, "send.js");
            await File.WriteAllTextAsync(script, Script);
            var start = new ProcessStartInfo("node", [script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory.FullName,
            };
            start.Environment["HOTLINE_ACS_INPUT"] = JsonSerializer.Serialize(new
            {
                sdk, connectionString, from, to, message, tag,
                uuidNamespace = uuidNamespace.ToString("D"), uuidName,
            });
            // Trust the loopback listener's own certificate; TLS verification stays on.
            start.Environment["NODE_EXTRA_CA_CERTS"] = caCertificatePem;
            start.Environment.Remove("NODE_TLS_REJECT_UNAUTHORIZED");
            start.Environment.Remove("HTTPS_PROXY");
            start.Environment.Remove("https_proxy");

            using var node = StartNode(start);
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await node.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
                Assert.Fail("node did not finish the SDK send within 20 s. stderr: " + await stderr);
            }
            if (node.ExitCode != 0)
            {
                Assert.Fail($"node exited with {node.ExitCode}: {await stderr}");
            }
            using var output = JsonDocument.Parse(await stdout);
            return new Result(output.RootElement.GetProperty("results").Clone(), output.RootElement.GetProperty("uuidV5").GetGuid());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node (Node.js 18 or later) must be on PATH to run the JavaScript SDK proof.", ex);
        }
    }
}
