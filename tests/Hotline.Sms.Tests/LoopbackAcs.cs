using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Hotline.Sms.Tests;

/// <summary>One request as it arrived on the wire: the raw request target, the headers and the body bytes.</summary>
public sealed record CapturedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public CapturedRequest WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };

    public CapturedRequest WithBody(string body) => this with { Body = Encoding.UTF8.GetBytes(body) };
}

/// <summary>
/// A stand-in for the Communication Services endpoint on 127.0.0.1 (a free port), over HTTPS with a throwaway
/// self-signed certificate because the JavaScript SDK refuses plain http. It records every request and answers
/// with <see cref="Respond"/> (by default: 202, the recipient accepted).
/// </summary>
public sealed class LoopbackAcs : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private WebApplication? _app;
    private int _count;

    private LoopbackAcs(X509Certificate2 certificate, DirectoryInfo directory)
    {
        Certificate = certificate;
        _directory = directory;
    }

    public int Port { get; private set; }

    public Uri Endpoint => new($"https://127.0.0.1:{Port}/");

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate as PEM, for NODE_EXTRA_CA_CERTS: node trusts exactly this server, nothing is switched off.</summary>
    public string CertificatePemPath => Path.Combine(_directory.FullName, "loopback-acs.pem");

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>The answer to the n-th request (1-based): status and JSON body.</summary>
    public Func<CapturedRequest, int, (int Status, string Body)> Respond { get; set; } = (request, _) => (202, Accepted(request));

    public static string Accepted(CapturedRequest request)
    {
        var to = request.Json().GetProperty("smsRecipients")[0].GetProperty("to").GetString();
        return JsonSerializer.Serialize(new
        {
            value = new[] { new { to, messageId = "Outgoing_" + Guid.NewGuid().ToString("N"), httpStatusCode = 202, repeatabilityResult = "accepted", successful = true } },
        });
    }

    public static async Task<LoopbackAcs> StartAsync()
    {
        var certificate = CreateCertificate();
        var self = new LoopbackAcs(certificate, Directory.CreateTempSubdirectory("hotline-acs-"));
        await File.WriteAllTextAsync(self.CertificatePemPath, certificate.ExportCertificatePem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        self._app = builder.Build();
        self._app.Run(self.HandleAsync);
        await self._app.StartAsync();
        self.Port = new Uri(self._app.Urls.Single()).Port;
        return self;
    }

    /// <summary>A transport that trusts this listener's certificate only (pinned by its SHA-256 thumbprint).</summary>
    public HttpClientTransport Transport()
    {
        var pinned = Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase);
        return new HttpClientTransport(handler);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }
        // The raw target, not the decoded Path: the signature covers the bytes the client sent.
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var request = new CapturedRequest(context.Request.Method, target, headers, body.ToArray());
        Requests.Enqueue(request);
        var (status, json) = Respond(request, Interlocked.Increment(ref _count));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Certificate.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
