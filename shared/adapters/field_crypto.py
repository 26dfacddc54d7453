"""Field-level encryption of My Numbers under their own KMS key (design rule 5; PIA-III-7-d).

powertools data masking with the AWS Encryption SDK provider, behind a caching materials manager: one KMS
GenerateDataKey serves many encryptions and one Decrypt serves every value under the same data key, so a
batch of thousands of numbers costs a handful of KMS calls. KMS clients come from the one client factory
(region guard, local endpoint) instead of the SDK's own sessions.

A keyed blind index (HMAC-SHA256) allows exact look-up without decrypting. Its secret is a KMS data key whose
ciphertext is kept in SSM Parameter Store: reading it costs one KMS Decrypt per process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
from typing import Any

from aws_encryption_sdk import (
    Algorithm,
    CachingCryptoMaterialsManager,
    CommitmentPolicy,
    EncryptionSDKClient,
    LocalCryptoMaterialsCache,
    StrictAwsKmsMasterKeyProvider,
)
from aws_encryption_sdk.exceptions import DecryptKeyError, NotSupportedError, SerializationError
from aws_lambda_powertools.utilities.data_masking import DataMasking
from aws_lambda_powertools.utilities.data_masking.exceptions import (
    DataMaskingDecryptKeyError,
    DataMaskingDecryptValueError,
)
from aws_lambda_powertools.utilities.data_masking.provider.kms.aws_encryption_sdk import (
    AWSEncryptionSDKProvider,
    KMSKeyProvider,
)

from shared.adapters.aws import AwsClients
from shared.domain.mynumber import MyNumber

# Same context for every value: the cache is partitioned by context, so a per-person context would cost
# one KMS call per person. The person binding is the record itself.
ENCRYPTION_CONTEXT = {"choju-field": "mynumber"}
# A committing suite without ECDSA signatures: writers and readers are the same trust domain, and a
# signature per value would cost ~1 ms and ~100 bytes each.
ALGORITHM = Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
CACHE_CAPACITY = 100
CACHE_MAX_AGE_SECONDS = 300.0
MAX_MESSAGES_PER_DATA_KEY = 100_000


def _master_key_provider(clients: AwsClients, key_arn: str) -> StrictAwsKmsMasterKeyProvider:
    """The SDK's strict KMS provider, but with clients from our factory (the SDK builds its own otherwise)."""

    class FactoryMasterKeyProvider(StrictAwsKmsMasterKeyProvider):  # type: ignore[misc]
        def add_regional_client(self, region_name: str) -> None:
            if region_name not in self._regional_clients:
                self._regional_clients[region_name] = clients.client("kms", region_name)

    return FactoryMasterKeyProvider(key_ids=[key_arn], region_names=[clients.region])


class _CachingKeyProvider(KMSKeyProvider):  # type: ignore[misc]
    """powertools' KMSKeyProvider wired to our master key provider (its own builds a fresh boto session).

    powertools decrypts through the bare key provider, which costs one KMS Decrypt per value; decrypting
    through the caching materials manager instead makes one Decrypt serve every value under a data key.
    """

    def __init__(self, master_key_provider: StrictAwsKmsMasterKeyProvider, key_arn: str) -> None:
        self.json_serializer = lambda value: json.dumps(value, ensure_ascii=False)
        self.json_deserializer = json.loads
        self.client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
        self.keys = [key_arn]
        self.cache = LocalCryptoMaterialsCache(CACHE_CAPACITY)
        self.key_provider = master_key_provider
        self.cache_cmm = CachingCryptoMaterialsManager(
            master_key_provider=master_key_provider,
            cache=self.cache,
            max_age=CACHE_MAX_AGE_SECONDS,
            max_messages_encrypted=MAX_MESSAGES_PER_DATA_KEY,
        )

    def decrypt(self, data: str, provider_options: dict | None = None, **encryption_context: str) -> Any:
        try:
            source = base64.b64decode(data, validate=True)
            plaintext, header = self.client.decrypt(source=source, materials_manager=self.cache_cmm,
                                                    **(provider_options or {}))
        except DecryptKeyError:
            raise DataMaskingDecryptKeyError("the My Number key could not decrypt this value") from None
        except (binascii.Error, TypeError, NotSupportedError, SerializationError):
            raise DataMaskingDecryptValueError("this value was not encrypted by the My Number vault") from None
        self._compare_encryption_context(header.encryption_context, encryption_context)
        return self.json_deserializer(plaintext.decode("utf-8"))


class MyNumberVault:
    """Encrypts, decrypts and indexes My Numbers; the only place plaintext numbers meet storage."""

    def __init__(self, clients: AwsClients, key_alias: str, index_key_parameter: str) -> None:
        self._clients = clients
        self._key_alias = key_alias
        self._index_key_parameter = index_key_parameter
        self._masking: DataMasking | None = None
        self._index_key: bytes | None = None
        self._lock = threading.Lock()

    def _data_masking(self) -> DataMasking:
        with self._lock:
            if self._masking is None:
                arn = self._clients.client("kms").describe_key(KeyId=self._key_alias)["KeyMetadata"]["Arn"]
                provider = _CachingKeyProvider(_master_key_provider(self._clients, arn), arn)
                self._masking = DataMasking(provider=AWSEncryptionSDKProvider(keys=[arn], key_provider=provider))
            return self._masking

    def encrypt(self, number: MyNumber) -> str:
        return str(self._data_masking().encrypt(number.digits, provider_options={"algorithm": ALGORITHM},
                                                **ENCRYPTION_CONTEXT))

    def decrypt(self, ciphertext: str) -> MyNumber:
        return MyNumber(str(self._data_masking().decrypt(ciphertext, **ENCRYPTION_CONTEXT)))

    def _secret(self) -> bytes:
        with self._lock:
            if self._index_key is None:
                self._index_key = self._clients.client("kms").decrypt(
                    CiphertextBlob=base64.b64decode(self._index_key_blob()), KeyId=self._key_alias
                )["Plaintext"]
            return self._index_key

    def _index_key_blob(self) -> str:
        """The sealed HMAC secret; created on first use by whoever first needs it (only roles allowed to use the
        My Number key can), so no plaintext secret ever passes through deployment state. Concurrent first
        uses agree: the parameter is never overwritten, and the loser reads the winner's."""
        ssm = self._clients.client("ssm")
        try:
            return str(ssm.get_parameter(Name=self._index_key_parameter)["Parameter"]["Value"])
        except ssm.exceptions.ParameterNotFound:
            pass
        blob = create_index_key_blob(self._clients.client("kms"), self._key_alias)
        try:
            ssm.put_parameter(Name=self._index_key_parameter, Value=blob, Type="String", Overwrite=False,
                              Description="HMAC secret of the My Number blind index, as a KMS ciphertext")
            return blob
        except ssm.exceptions.ParameterAlreadyExists:
            return str(ssm.get_parameter(Name=self._index_key_parameter)["Parameter"]["Value"])

    def blind_index(self, number: MyNumber) -> str:
        return hmac.new(self._secret(), number.digits.encode(), hashlib.sha256).hexdigest()

    def keyed_digest(self, purpose: str, data: bytes) -> str:
        """An HMAC of `data` under a key derived from the index secret for `purpose`: a fingerprint of something
        that may hold a My Number which, unlike a plain hash, cannot be brute-forced from the digits around it."""
        purpose_key = hmac.new(self._secret(), f"choju:{purpose}".encode(), hashlib.sha256).digest()
        return hmac.new(purpose_key, data, hashlib.sha256).hexdigest()


def create_index_key_blob(kms: Any, key_alias: str) -> str:
    """A new HMAC secret, returned only as its KMS ciphertext (what SSM stores)."""
    blob = kms.generate_data_key(KeyId=key_alias, KeySpec="AES_256")["CiphertextBlob"]
    return base64.b64encode(blob).decode()
