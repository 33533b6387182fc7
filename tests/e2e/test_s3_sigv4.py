"""Amazon S3 Signature Version 4, byte by byte: every payload variant real clients send, signed
here by hand and sent raw over HTTP, so that localorg's verification (not a client library's
politeness) is what the assertions see.

  * a single chunk: x-amz-content-sha256 is the hex SHA-256 of the body, or UNSIGNED-PAYLOAD;
  * STREAMING-AWS4-HMAC-SHA256-PAYLOAD: aws-chunked, every chunk signed, each signature chained
    to the previous one (AmazonS3/latest/API/sigv4-streaming.html);
  * STREAMING-UNSIGNED-PAYLOAD-TRAILER and STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: aws-chunked
    with a trailing checksum header, the latter with signed chunks and a signed trailer
    (AmazonS3/latest/API/sigv4-streaming-trailers.html);
  * presigned URLs (boto3 signs them), stale requests, and temporary credentials.

The signer below follows the AWS documentation; the first tests check it against the worked
examples on those two pages, so that a failure further down is the server's, not the signer's.
Every expectation is what Amazon S3 answers.
"""
import base64
import hashlib
import hmac
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zlib
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from conftest import DEFAULT_KEY, REGION

KiB = 1024
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"


# --------------------------------------------------------------------------------------------
# A SigV4 signer, from the AWS documentation
# --------------------------------------------------------------------------------------------


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def hmac_sha256(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def uri_encode(text, encode_slash=True):
    """S3's URI encoding: every byte but the unreserved A-Z a-z 0-9 - . _ ~ is %XX (and '/' too,
    except in the path)."""
    return urllib.parse.quote(text, safe="-._~" if encode_slash else "-._~/")


class Signer:
    """One request's signatures: the seed signature over the canonical request, then the chain of
    chunk signatures (and the trailer's) that each include the previous one."""

    def __init__(self, key=DEFAULT_KEY, when=None, region=REGION, service="s3"):
        when = when or datetime.now(timezone.utc)
        self.access_key, secret = key
        self.amz_date = when.strftime("%Y%m%dT%H%M%SZ")
        day = self.amz_date[:8]
        self.scope = f"{day}/{region}/{service}/aws4_request"
        # kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")
        k = hmac_sha256(("AWS4" + secret).encode(), day)
        for part in (region, service, "aws4_request"):
            k = hmac_sha256(k, part)
        self.key = k
        self.previous = None  # the running signature

    def _sign(self, string_to_sign):
        return hmac.new(self.key, string_to_sign.encode(), hashlib.sha256).hexdigest()

    def canonical_request(self, method, path, headers, payload_hash, query=()):
        names = sorted(headers)
        canonical_headers = "".join(f"{n}:{' '.join(str(headers[n]).split())}\n" for n in names)
        canonical_query = "&".join(
            f"{uri_encode(k)}={uri_encode(v)}" for k, v in sorted(query))
        return "\n".join([method, uri_encode(path, encode_slash=False), canonical_query,
                          canonical_headers, ";".join(names), payload_hash])

    def sign(self, method, path, headers, payload_hash, query=()):
        """The headers to send: `headers` (all signed; must hold `host`) with x-amz-date,
        x-amz-content-sha256 and Authorization. Sets the seed signature of the chain."""
        headers = {k.lower(): str(v) for k, v in headers.items()}
        headers["x-amz-date"] = self.amz_date
        headers["x-amz-content-sha256"] = payload_hash
        canonical = self.canonical_request(method, path, headers, payload_hash, query)
        self.previous = self._sign("\n".join(
            ["AWS4-HMAC-SHA256", self.amz_date, self.scope, sha256_hex(canonical.encode())]))
        headers["authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.access_key}/{self.scope}, "
            f"SignedHeaders={';'.join(sorted(headers))}, Signature={self.previous}")
        return headers

    def chunk(self, data):
        """The signature of the next chunk: "AWS4-HMAC-SHA256-PAYLOAD", date, scope, previous
        signature, hash(""), hash(chunk)."""
        self.previous = self._sign("\n".join(["AWS4-HMAC-SHA256-PAYLOAD", self.amz_date, self.scope,
                                              self.previous, EMPTY_SHA256, sha256_hex(data)]))
        return self.previous

    def trailer(self, trailers):
        """The signature of the trailing headers: "AWS4-HMAC-SHA256-TRAILER", date, scope, the
        0-byte chunk's signature, hash of the "name:value\\n" lines."""
        canonical = "".join(f"{name}:{value}\n" for name, value in trailers)
        self.previous = self._sign("\n".join(["AWS4-HMAC-SHA256-TRAILER", self.amz_date, self.scope,
                                              self.previous, sha256_hex(canonical.encode())]))
        return self.previous


def flip(hex_digit):
    return "0" if hex_digit != "0" else "1"


def signed_chunks(signer, chunks, trailers=None, tamper_chunk=None, tamper_trailer=False):
    """The aws-chunked body of `chunks`, each `hex(size);chunk-signature=SIG\\r\\n DATA \\r\\n`, then
    the 0-byte chunk; with `trailers`, the trailing headers and x-amz-trailer-signature follow
    it, then an empty line. `tamper_chunk` (an index) flips one hex digit of that chunk's
    signature; the chain goes on from the true one."""
    out = bytearray()
    for i, data in enumerate([*chunks, b""]):
        sig = signer.chunk(data)
        if i == tamper_chunk:
            sig = flip(sig[0]) + sig[1:]
        out += b"%x;chunk-signature=%s\r\n" % (len(data), sig.encode())
        if data or not trailers:
            out += data + b"\r\n"
    if trailers:
        sig = signer.trailer(trailers)
        if tamper_trailer:
            sig = flip(sig[0]) + sig[1:]
        for name, value in trailers:
            out += f"{name}:{value}\r\n".encode()
        out += f"x-amz-trailer-signature:{sig}\r\n\r\n".encode()
    return bytes(out)


def signed_chunks_length(sizes, trailers=None):
    """The encoded length of signed_chunks() (Content-Length is signed before the chunks are)."""
    total = 0
    for size in [*sizes, 0]:
        total += len(b"%x;chunk-signature=" % size) + 64 + 2 + size
        if size or not trailers:
            total += 2
    if trailers:
        total += sum(len(f"{n}:{v}\r\n") for n, v in trailers)
        total += len("x-amz-trailer-signature:") + 64 + 2 + 2
    return total


def unsigned_chunks(chunks, trailers):
    """The aws-chunked body without signatures: `hex(size)\\r\\n DATA \\r\\n`, then `0\\r\\n`, the
    trailing headers, an empty line."""
    out = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n"
    out += b"".join(f"{name}:{value}\r\n".encode() for name, value in trailers)
    return out + b"\r\n"


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


# --------------------------------------------------------------------------------------------
# The signer against the AWS documentation's worked examples (no server)
# --------------------------------------------------------------------------------------------

DOC_KEY = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
DOC_WHEN = datetime(2013, 5, 24, tzinfo=timezone.utc)
DOC_PATH = "/examplebucket/chunkObject.txt"
DOC_CHUNKS = [b"a" * 65536, b"a" * 1024]


def test_signer_reproduces_the_documented_chunked_upload():
    """sigv4-streaming.html, "Example: PUT Object": 64 KB + 1 KB of 'a'."""
    signer = Signer(DOC_KEY, DOC_WHEN)
    headers = signer.sign("PUT", DOC_PATH, {
        "host": "s3.amazonaws.com", "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "66560",
        "content-length": "66824"}, STREAMING_SIGNED)
    assert headers["authorization"].endswith(
        "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
        "x-amz-decoded-content-length;x-amz-storage-class, "
        "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
    body = signed_chunks(signer, DOC_CHUNKS)
    assert len(body) == 66824 == signed_chunks_length([65536, 1024])
    assert body.startswith(
        b"10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n")
    assert b"\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" in body
    assert body.endswith(
        b"\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n")


def test_signer_reproduces_the_documented_trailer_upload():
    """sigv4-streaming-trailers.html: the same upload with a signed x-amz-checksum-crc32c trailer."""
    signer = Signer(DOC_KEY, DOC_WHEN)
    headers = {"host": "s3.amazonaws.com", "x-amz-storage-class": "REDUCED_REDUNDANCY",
               "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "66560",
               "x-amz-trailer": "x-amz-checksum-crc32c"}
    canonical = signer.canonical_request("PUT", DOC_PATH, {
        **headers, "x-amz-date": signer.amz_date, "x-amz-content-sha256": STREAMING_SIGNED_TRAILER},
        STREAMING_SIGNED_TRAILER)
    assert sha256_hex(canonical.encode()) == "44d48b8c2f70eae815a0198cc73d7a546a73a93359c070abbaa5e6c7de112559"
    signer.sign("PUT", DOC_PATH, headers, STREAMING_SIGNED_TRAILER)
    assert signer.previous == "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
    trailers = [("x-amz-checksum-crc32c", "sOO8/Q==")]
    body = signed_chunks(signer, DOC_CHUNKS, trailers)
    assert len(body) == signed_chunks_length([65536, 1024], trailers)
    assert b"10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" in body
    assert b"\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" in body
    assert body.endswith(
        b"\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n"
        b"x-amz-checksum-crc32c:sOO8/Q==\r\n"
        b"x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n")


# --------------------------------------------------------------------------------------------
# Sending raw requests
# --------------------------------------------------------------------------------------------


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def code(self):
        return ET.fromstring(self.body).findtext("Code") if self.body else None

    @property
    def message(self):
        return ET.fromstring(self.body).findtext("Message") if self.body else None

    def __repr__(self):
        return f"Reply({self.status}, {self.body[:400]!r})"


def host_of(server):
    return urllib.parse.urlsplit(server.endpoint).netloc


def send(server, method, path, headers, body=b""):
    """Sends exactly `headers` (plus Content-Length when absent) and `body`."""
    parts = urllib.parse.urlsplit(server.endpoint)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        if "content-length" not in {k.lower() for k in headers}:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def signed_put(server, path, body, payload_hash=None, key=DEFAULT_KEY, when=None, extra=None):
    """A PUT signed over a single chunk (x-amz-content-sha256 = hash of `body` by default)."""
    signer = Signer(key, when)
    headers = signer.sign("PUT", path, {"host": host_of(server), "content-length": len(body),
                                        **(extra or {})},
                          payload_hash or sha256_hex(body))
    return send(server, "PUT", path, headers, body)


def signed_get(server, path, key=DEFAULT_KEY, when=None, extra=None):
    signer = Signer(key, when)
    headers = signer.sign("GET", path, {"host": host_of(server), **(extra or {})}, EMPTY_SHA256)
    return send(server, "GET", path, headers)


def urlopen(request):
    """(status, body) of a urllib request, errors included."""
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def xml(body):
    root = ET.fromstring(body)
    return root.findtext("Code"), root.findtext("Message") or ""


@pytest.fixture
def s3(server):
    client = server.client("s3")
    client.create_bucket(Bucket="sig")
    return client


def stored(s3, key, bucket="sig"):
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def missing(s3, key, bucket="sig"):
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key=key)
    return e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# --------------------------------------------------------------------------------------------
# 1-2. A single chunk: the payload's hash, or UNSIGNED-PAYLOAD
# --------------------------------------------------------------------------------------------


def test_single_chunk_signed_payload_is_stored(server, s3):
    body = b"signed over its SHA-256\n" * 100
    reply = signed_put(server, "/sig/single.txt", body)
    assert reply.status == 200, reply
    assert reply.headers["etag"] == f'"{hashlib.md5(body).hexdigest()}"'
    assert stored(s3, "single.txt") == body


def test_single_chunk_body_that_does_not_match_its_declared_hash_is_refused(server, s3):
    """S3: 400 XAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not
    match what was computed." The header is signed, so the signature itself matches."""
    body = b"the body that is sent"
    reply = signed_put(server, "/sig/mismatch.txt", body,
                       payload_hash=sha256_hex(b"the body that was signed"))
    assert (reply.status, reply.code, missing(s3, "mismatch.txt")) == (
        400, "XAmzContentSHA256Mismatch", True), reply


def test_unsigned_payload_is_stored(server, s3):
    body = b"no hash for this one"
    reply = signed_put(server, "/sig/unsigned.txt", body, payload_hash="UNSIGNED-PAYLOAD")
    assert reply.status == 200, reply
    assert stored(s3, "unsigned.txt") == body


# --------------------------------------------------------------------------------------------
# 3. STREAMING-AWS4-HMAC-SHA256-PAYLOAD
# --------------------------------------------------------------------------------------------

STREAM_CHUNKS = [bytes([i]) * (64 * KiB) for i in (0x41, 0x42, 0x43)] + [b"tail of the stream"]
STREAM_DATA = b"".join(STREAM_CHUNKS)


def streaming_put(server, path, chunks, tamper_chunk=None, content_encoding="aws-chunked"):
    signer = Signer()
    sizes = [len(c) for c in chunks]
    headers = signer.sign("PUT", path, {
        "host": host_of(server), "content-encoding": content_encoding,
        "x-amz-decoded-content-length": sum(sizes),
        "content-length": signed_chunks_length(sizes)}, STREAMING_SIGNED)
    body = signed_chunks(signer, chunks, tamper_chunk=tamper_chunk)
    assert len(body) == int(headers["content-length"])
    return send(server, "PUT", path, headers, body)


def test_streaming_signed_chunks_store_the_decoded_content(server, s3):
    reply = streaming_put(server, "/sig/stream.bin", STREAM_CHUNKS)
    assert reply.status == 200, reply
    assert reply.headers["etag"] == f'"{hashlib.md5(STREAM_DATA).hexdigest()}"'
    assert stored(s3, "stream.bin") == STREAM_DATA
    head = s3.head_object(Bucket="sig", Key="stream.bin")
    assert head["ContentLength"] == len(STREAM_DATA) == 3 * 64 * KiB + 18


@pytest.mark.parametrize("sent,kept", [("aws-chunked", None), ("aws-chunked,gzip", "gzip")])
def test_aws_chunked_is_not_kept_as_the_objects_content_encoding(server, s3, sent, kept):
    """sigv4-streaming.html: "Amazon S3 stores the resulting object without the aws-chunked value
    in the content-encoding header. If aws-chunked is the only value [...] S3 considers the
    content-encoding header empty and does not return this header when you retrieve the object." """
    reply = streaming_put(server, "/sig/coded.bin", STREAM_CHUNKS, content_encoding=sent)
    assert reply.status == 200, reply
    assert s3.head_object(Bucket="sig", Key="coded.bin").get("ContentEncoding") == kept


def test_streaming_with_a_tampered_chunk_signature_is_refused(server, s3):
    """One hex digit of the 2nd chunk's signature flipped: 403 SignatureDoesNotMatch."""
    reply = streaming_put(server, "/sig/tampered.bin", STREAM_CHUNKS, tamper_chunk=1)
    assert (reply.status, reply.code, missing(s3, "tampered.bin")) == (
        403, "SignatureDoesNotMatch", True), reply


# --------------------------------------------------------------------------------------------
# 4. STREAMING-UNSIGNED-PAYLOAD-TRAILER
# --------------------------------------------------------------------------------------------


def unsigned_trailer_put(server, path, chunks, trailer_value):
    signer = Signer()
    trailers = [("x-amz-checksum-crc32", trailer_value)]
    body = unsigned_chunks(chunks, trailers)
    headers = signer.sign("PUT", path, {
        "host": host_of(server), "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": sum(len(c) for c in chunks),
        "x-amz-trailer": "x-amz-checksum-crc32", "content-length": len(body)},
        STREAMING_UNSIGNED_TRAILER)
    return send(server, "PUT", path, headers, body)


def test_unsigned_chunks_with_a_checksum_trailer_are_stored_with_that_checksum(server, s3):
    reply = unsigned_trailer_put(server, "/sig/trailer.bin", STREAM_CHUNKS, crc32_b64(STREAM_DATA))
    assert reply.status == 200, reply
    assert stored(s3, "trailer.bin") == STREAM_DATA
    head = s3.head_object(Bucket="sig", Key="trailer.bin", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == crc32_b64(STREAM_DATA)


def test_unsigned_chunks_with_a_wrong_checksum_trailer_are_bad_digest(server, s3):
    """S3: 400 BadDigest, "The CRC32 you specified did not match the calculated checksum." """
    reply = unsigned_trailer_put(server, "/sig/bad-trailer.bin", STREAM_CHUNKS,
                                 crc32_b64(b"something else"))
    assert (reply.status, reply.code, missing(s3, "bad-trailer.bin")) == (
        400, "BadDigest", True), reply


# --------------------------------------------------------------------------------------------
# 5. STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
# --------------------------------------------------------------------------------------------


def signed_trailer_put(server, path, chunks, trailer_value, tamper_trailer=False):
    signer = Signer()
    trailers = [("x-amz-checksum-crc32", trailer_value)]
    sizes = [len(c) for c in chunks]
    headers = signer.sign("PUT", path, {
        "host": host_of(server), "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": sum(sizes), "x-amz-trailer": "x-amz-checksum-crc32",
        "content-length": signed_chunks_length(sizes, trailers)}, STREAMING_SIGNED_TRAILER)
    body = signed_chunks(signer, chunks, trailers, tamper_trailer=tamper_trailer)
    assert len(body) == int(headers["content-length"])
    return send(server, "PUT", path, headers, body)


def test_signed_chunks_with_a_signed_trailer_are_stored(server, s3):
    reply = signed_trailer_put(server, "/sig/signed-trailer.bin", STREAM_CHUNKS,
                               crc32_b64(STREAM_DATA))
    assert reply.status == 200, reply
    assert stored(s3, "signed-trailer.bin") == STREAM_DATA
    head = s3.head_object(Bucket="sig", Key="signed-trailer.bin", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == crc32_b64(STREAM_DATA)


def test_signed_trailer_with_a_tampered_signature_is_refused(server, s3):
    """A trailer signature that does not match is a signature that does not match: 403."""
    reply = signed_trailer_put(server, "/sig/tampered-trailer.bin", STREAM_CHUNKS,
                               crc32_b64(STREAM_DATA), tamper_trailer=True)
    assert (reply.status, reply.code, missing(s3, "tampered-trailer.bin")) == (
        403, "SignatureDoesNotMatch", True), reply


# --------------------------------------------------------------------------------------------
# 6. Presigned URLs
# --------------------------------------------------------------------------------------------


def presigner(server, key=DEFAULT_KEY):
    return server.client("s3", key=key, signature_version="s3v4")


def test_presigned_put_stores_the_body(server, s3):
    url = presigner(server).generate_presigned_url(
        "put_object", Params={"Bucket": "sig", "Key": "presigned.txt"}, ExpiresIn=300)
    assert "X-Amz-Signature=" in url
    status, body = urlopen(urllib.request.Request(url, data=b"put through a URL", method="PUT"))
    assert status == 200, body
    assert stored(s3, "presigned.txt") == b"put through a URL"


def test_expired_presigned_get_is_access_denied(server, s3):
    s3.put_object(Bucket="sig", Key="doc.txt", Body=b"x")
    url = presigner(server).generate_presigned_url(
        "get_object", Params={"Bucket": "sig", "Key": "doc.txt"}, ExpiresIn=1)
    time.sleep(2)
    status, body = urlopen(url)
    assert status == 403, body
    code, message = xml(body)
    assert code == "AccessDenied" and "Request has expired" in message


def test_presigned_url_signed_with_a_wrong_secret_is_signature_does_not_match(server, s3):
    s3.put_object(Bucket="sig", Key="doc.txt", Body=b"x")
    url = presigner(server, key=(DEFAULT_KEY[0], "not-the-secret")).generate_presigned_url(
        "get_object", Params={"Bucket": "sig", "Key": "doc.txt"}, ExpiresIn=300)
    status, body = urlopen(url)
    assert status == 403, body
    assert xml(body)[0] == "SignatureDoesNotMatch"


def test_presigned_url_for_a_key_never_issued_is_invalid_access_key_id(server, s3):
    s3.put_object(Bucket="sig", Key="doc.txt", Body=b"x")
    url = presigner(server, key=("AKIANEVERISSUED00000", "x" * 40)).generate_presigned_url(
        "get_object", Params={"Bucket": "sig", "Key": "doc.txt"}, ExpiresIn=300)
    status, body = urlopen(url)
    assert status == 403, body
    assert xml(body)[0] == "InvalidAccessKeyId"


# --------------------------------------------------------------------------------------------
# 7. Clock skew
# --------------------------------------------------------------------------------------------


def test_request_signed_twenty_minutes_ago_is_too_skewed(server, s3):
    """S3 allows 15 minutes between x-amz-date and its clock: 403 RequestTimeTooSkewed."""
    s3.put_object(Bucket="sig", Key="doc.txt", Body=b"x")
    stale = datetime.now(timezone.utc) - timedelta(minutes=20)
    reply = signed_get(server, "/sig/doc.txt", when=stale)
    assert reply.status == 403, reply
    assert reply.code == "RequestTimeTooSkewed", reply
    reply = signed_put(server, "/sig/late.txt", b"late", when=stale)
    assert reply.status == 403 and reply.code == "RequestTimeTooSkewed", reply
    assert missing(s3, "late.txt")
    # The same request signed now goes through (the signer is not the problem).
    assert signed_get(server, "/sig/doc.txt").status == 200


# --------------------------------------------------------------------------------------------
# 8. Temporary credentials
# --------------------------------------------------------------------------------------------


def test_session_credentials_sign_s3_requests_only_with_their_token(server, s3):
    c = server.client("sts").get_session_token()["Credentials"]
    key, token = (c["AccessKeyId"], c["SecretAccessKey"]), c["SessionToken"]
    temp = server.client("s3", key=key, session_token=token)
    temp.put_object(Bucket="sig", Key="temp.txt", Body=b"with a session token")
    assert temp.get_object(Bucket="sig", Key="temp.txt")["Body"].read() == b"with a session token"

    # Signed by hand with the token (x-amz-security-token, signed): accepted.
    reply = signed_get(server, "/sig/temp.txt", key=key, extra={"x-amz-security-token": token})
    assert reply.status == 200 and reply.body == b"with a session token", reply
    # The same access key without its token: S3 does not know the key on its own
    # (403 InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.").
    reply = signed_get(server, "/sig/temp.txt", key=key)
    assert (reply.status, reply.code) == (403, "InvalidAccessKeyId"), reply
