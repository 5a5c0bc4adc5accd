import type { BucketRec } from './model.ts';

/**
 * Failure reasons in the style Atlas reports in `stateReason` (errorCode + human message). Atlas documents the
 * field but not its values; these are modelled on the permission and lifecycle problems operators actually hit.
 */
export function failureFor(bucket: BucketRec, pick: number): { errorCode: string; message: string } {
  const common = [
    {
      errorCode: 'EXPORT_FAILED',
      message: 'The snapshot was deleted by its retention policy before the export finished.',
    },
    {
      errorCode: 'EXPORT_TIMEOUT',
      message:
        'The export worker stopped reporting progress and the export timed out. Atlas does not retry failed exports: start a new one.',
    },
  ];
  const byProvider: Record<BucketRec['provider'], { errorCode: string; message: string }[]> = {
    AWS: [
      {
        errorCode: 'EXPORT_FAILED',
        message: `Access denied to bucket ${bucket.bucketName}: check the IAM role's s3:PutObject permission.`,
      },
      {
        errorCode: 'EXPORT_FAILED',
        message: `Atlas could not assume the IAM role for bucket ${bucket.bucketName}: check the role's trust policy and external id.`,
      },
      {
        errorCode: 'EXPORT_FAILED',
        message: `Bucket ${bucket.bucketName} does not exist or is in another AWS account.`,
      },
    ],
    AZURE: [
      {
        errorCode: 'EXPORT_FAILED',
        message: `AuthorizationPermissionMismatch on container of ${bucket.bucketName}: the service principal needs the Storage Blob Data Contributor role.`,
      },
    ],
    GCP: [
      {
        errorCode: 'EXPORT_FAILED',
        message: `storage.objects.create denied on gs://${bucket.bucketName}: grant roles/storage.objectAdmin to the Atlas service account.`,
      },
    ],
  };
  const options = [...byProvider[bucket.provider], ...common];
  return options[Math.floor(pick * options.length)] ?? common[0]!;
}
