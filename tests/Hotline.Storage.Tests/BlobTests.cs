using System.Net;
using System.Text;
using Azure;
using Hotline.Storage.Blobs;
using Hotline.Testing;

namespace Hotline.Storage.Tests;

public sealed class BlobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly StorageConnection _connection = StorageConnection.Parse(azurite.ConnectionString);

    // A plain client, as a browser would be: no storage credentials, only the SAS in the URI.
    private readonly HttpClient _browser = new();

    public void Dispose() => _browser.Dispose();

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = new BlobContainerClient(_connection, StorageNames.Container("evidence"));
        Assert.True((await container.CreateIfNotExistsAsync()).Value);
        return container;
    }

    [Fact]
    public async Task Put_get_delete_with_content_type()
    {
        var container = await NewContainerAsync();
        Assert.False((await container.CreateIfNotExistsAsync()).Value);
        var photo = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0, 255 };
        const string name = "matter-1/回复 photo #1.jpg";

        var etag = (await container.UploadAsync(name, photo, "image/jpeg")).Value;
        var download = (await container.DownloadAsync(name)).Value;

        Assert.Equal(photo, download.Content);
        Assert.Equal("image/jpeg", download.ContentType);
        Assert.Equal(etag, download.ETag);

        Assert.True((await container.DeleteIfExistsAsync(name)).Value);
        Assert.False((await container.DeleteIfExistsAsync(name)).Value);
        var gone = await container.DownloadIfExistsAsync(name);
        Assert.False(gone.HasValue);
        Assert.Equal(404, gone.GetRawResponse().Status);
    }

    [Fact]
    public async Task Overwrite_false_keeps_the_first_blob_and_reports_409()
    {
        var container = await NewContainerAsync();
        await container.UploadAsync("a.txt", "first"u8.ToArray(), "text/plain");

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => container.UploadAsync("a.txt", "second"u8.ToArray(), "text/plain", overwrite: false));

        Assert.Equal(409, e.Status);
        Assert.Equal("BlobAlreadyExists", e.ErrorCode);
        Assert.Equal("first", Encoding.UTF8.GetString((await container.DownloadAsync("a.txt")).Value.Content));

        await container.UploadAsync("a.txt", "second"u8.ToArray(), "text/plain; charset=utf-8");
        var replaced = (await container.DownloadAsync("a.txt")).Value;
        Assert.Equal("second", Encoding.UTF8.GetString(replaced.Content));
        Assert.Equal("text/plain; charset=utf-8", replaced.ContentType);
    }

    [Fact]
    public async Task List_by_prefix_pages_through_every_blob()
    {
        var container = await NewContainerAsync();
        for (var i = 0; i < 7; i++)
        {
            await container.UploadAsync($"matter-1/{i}.jpg", new byte[i], "image/jpeg");
        }
        await container.UploadAsync("matter-2/0.jpg", new byte[] { 1 }, "image/png");

        var listed = await container.ListAsync("matter-1/", pageSize: 3).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"matter-1/{i}.jpg"), listed.Select(b => b.Name));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), listed.Select(b => b.ContentLength));
        Assert.All(listed, b => Assert.Equal("image/jpeg", b.ContentType));
        Assert.Equal(8, await container.ListAsync().CountAsync());
    }

    [Fact]
    public async Task Write_sas_lets_a_plain_client_upload_and_read_sas_lets_it_download()
    {
        var container = await NewContainerAsync();
        const string name = "matter-9/upload 1.jpg";
        var writeUri = await container.GenerateSasUriAsync(name, BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Contains("sp=cw", writeUri.Query, StringComparison.Ordinal);
        Assert.Contains("sr=b", writeUri.Query, StringComparison.Ordinal);

        using (var put = new HttpRequestMessage(HttpMethod.Put, writeUri) { Content = new ByteArrayContent([9, 8, 7]) })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            put.Content.Headers.ContentType = new("image/jpeg");
            using var putResponse = await _browser.SendAsync(put);
            Assert.Equal(HttpStatusCode.Created, putResponse.StatusCode);
        }
        Assert.Equal(new byte[] { 9, 8, 7 }, (await container.DownloadAsync(name)).Value.Content);

        var readUri = await container.GenerateSasUriAsync(name, BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(10));
        using var get = await _browser.GetAsync(readUri);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(new byte[] { 9, 8, 7 }, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", get.Content.Headers.ContentType?.MediaType);

        // Without the SAS the same blob is private (Azure answers 404, Azurite 403).
        using var anonymous = await _browser.GetAsync(container.GetBlobUri(name));
        Assert.Contains(anonymous.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
    }

    [Fact]
    public async Task Read_sas_refuses_writes_and_is_scoped_to_one_blob()
    {
        var container = await NewContainerAsync();
        await container.UploadAsync("a.jpg", new byte[] { 1 }, "image/jpeg");
        await container.UploadAsync("b.jpg", new byte[] { 2 }, "image/jpeg");
        var readUri = await container.GenerateSasUriAsync("a.jpg", BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(10));

        using (var put = new HttpRequestMessage(HttpMethod.Put, readUri) { Content = new ByteArrayContent([6, 6, 6]) })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            using var response = await _browser.SendAsync(put);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using (var delete = await _browser.DeleteAsync(readUri))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }
        // The same signature on another blob's path does not verify.
        var otherBlob = new UriBuilder(readUri) { Path = readUri.AbsolutePath.Replace("/a.jpg", "/b.jpg", StringComparison.Ordinal) }.Uri;
        using (var other = await _browser.GetAsync(otherBlob))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }
        Assert.Equal(new byte[] { 1 }, (await container.DownloadAsync("a.jpg")).Value.Content);
    }

    [Fact]
    public async Task Expired_or_tampered_sas_is_refused()
    {
        var container = await NewContainerAsync();
        await container.UploadAsync("a.jpg", new byte[] { 1 }, "image/jpeg");

        var expired = await container.GenerateSasUriAsync("a.jpg", BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(-1), startsOn: DateTimeOffset.UtcNow.AddMinutes(-10));
        using (var response = await _browser.GetAsync(expired))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var valid = await container.GenerateSasUriAsync("a.jpg", BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(5));
        var tampered = new Uri(valid.AbsoluteUri.Replace("sp=r", "sp=rw", StringComparison.Ordinal));
        using (var response = await _browser.GetAsync(tampered))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using (var response = await _browser.GetAsync(valid))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Cors_rules_set_then_read_back_and_answer_a_browser_preflight()
    {
        var service = new BlobServiceClient(_connection);
        var rule = new BlobCorsRule(
            ["https://hotline.example.gov.cn", "https://m.hotline.example.gov.cn"],
            ["PUT", "GET"],
            ["x-ms-blob-type", "content-type", "x-ms-meta-*"],
            ["etag", "x-ms-*"],
            600);

        await service.SetCorsRulesAsync([rule]);
        var rules = (await service.GetCorsRulesAsync()).Value;

        var read = Assert.Single(rules);
        Assert.Equal(rule.AllowedOrigins, read.AllowedOrigins);
        Assert.Equal(rule.AllowedMethods, read.AllowedMethods);
        Assert.Equal(rule.AllowedHeaders, read.AllowedHeaders);
        Assert.Equal(rule.ExposedHeaders, read.ExposedHeaders);
        Assert.Equal(600, read.MaxAgeInSeconds);

        var container = await NewContainerAsync();
        using (var preflight = Preflight(container.GetBlobUri("x.jpg"), "https://m.hotline.example.gov.cn", "PUT"))
        using (var allowed = await _browser.SendAsync(preflight))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("https://m.hotline.example.gov.cn", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        }
        using (var preflight = Preflight(container.GetBlobUri("x.jpg"), "https://evil.example.com", "PUT"))
        using (var refused = await _browser.SendAsync(preflight))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        }

        static HttpRequestMessage Preflight(Uri uri, string origin, string method)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, uri);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", method);
            request.Headers.Add("Access-Control-Request-Headers", "x-ms-blob-type,content-type");
            return request;
        }
    }

    [Fact]
    public void Invalid_container_and_blob_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new BlobContainerClient(_connection, "Upper"));
        Assert.Throws<ArgumentException>(() => new BlobContainerClient(_connection, "a--b"));
        Assert.Throws<ArgumentException>(() => new BlobContainerClient(_connection, "ab"));
        var container = new BlobContainerClient(_connection, "evidence");
        Assert.Throws<ArgumentException>(() => container.GetBlobUri("dir/"));
        Assert.Throws<ArgumentException>(() => container.GetBlobUri(""));
        Assert.Throws<ArgumentException>(() => container.GetBlobUri("a\nb"));
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_key_is_refused()
    {
        var container = await NewContainerAsync();
        var wrongKey = StorageConnection.Parse(azurite.ConnectionString.Replace(AzuriteInstance.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobContainerClient(wrongKey, container.Name).UploadAsync("a.jpg", new byte[] { 1 }, "image/jpeg"));

        Assert.Equal(403, e.Status);
        Assert.False((await container.DownloadIfExistsAsync("a.jpg")).HasValue);
    }
}
