"""arclean inside other pipelines: `datasets` (Hugging Face), `dask`, `datatrove`, and pandas
through `arclean.arrow`. Each module imports its framework only when used."""
