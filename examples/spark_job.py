"""A brandscan Spark job: a catalog (Parquet or CSV) in, findings and flagged listings out.

    spark-submit --master local[2] examples/spark_job.py \
        --catalog listings.parquet --out out/ [-w brands.csv ...] [--fields title,description]

The same file runs on a cluster (`--master yarn`, Databricks, EMR, Dataproc, Kubernetes)
with the `brandscan` wheel installed on the executors (`pip install brandscan`, a cluster
library, or `--py-files`/`--archives` with a packed virtualenv). Word lists are read on the
driver and travel with the job: nothing to copy to the executors.

Writes OUT/findings (the columns of `brandscan scan -f csv`) and OUT/flagged (every listing
with a finding, with its strictest `action` and its `brands`), both as Parquet.
"""

import argparse

from pyspark.sql import SparkSession

from brandscan import spark as bs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--catalog", required=True, help="Parquet file or directory, or a .csv")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("-w", "--wordlist", action="append", default=[], help="word list (repeatable)")
    ap.add_argument("--builtin", action="store_true", help="built-in lists too when -w is given")
    ap.add_argument("--fields", help="columns to scan, comma-separated (default: detected)")
    ap.add_argument("--id-column", help="listing id column (default: detected)")
    ap.add_argument("--authorized", action="append", default=[], help="authorized brand")
    args = ap.parse_args()

    spark = SparkSession.builder.appName("brandscan").getOrCreate()
    if args.catalog.lower().endswith((".csv", ".csv.gz")):
        # Quoted fields may span lines (HTML descriptions): multiLine reads them whole.
        catalog = spark.read.csv(args.catalog, header=True, multiLine=True, escape='"')
    else:
        catalog = spark.read.parquet(args.catalog)

    options = dict(
        fields=args.fields.split(",") if args.fields else None,
        id_column=args.id_column,
        wordlists=args.wordlist or None,
        builtin=True if args.builtin else None,
        authorized=args.authorized,
    )
    found = bs.findings(catalog, **options)
    found.write.mode("overwrite").parquet(f"{args.out}/findings")
    flagged = bs.flag(catalog, **options).where("action IS NOT NULL")
    flagged.write.mode("overwrite").parquet(f"{args.out}/flagged")
    spark.stop()


if __name__ == "__main__":
    main()
